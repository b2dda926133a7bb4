package site

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/partners"
)

const adminUsersPerPage = 50

type adminUsersPage struct {
	adminBase
	Users      []accounts.User
	Total      int
	Query      string
	Filtered   bool
	Roles      []option // for the role filter, the chosen one selected
	Partners   []option // for the organisation filter
	Pagination pager
}

func (s *Server) adminUsers(c echo.Context) error {
	ctx := c.Request().Context()
	page := adminUsersPage{adminBase: s.adminBase(c, "People", "users"), Query: c.QueryParam("q")}
	filter := accounts.ListFilter{Query: page.Query, PerPage: adminUsersPerPage}
	if r := accounts.Role(c.QueryParam("role")); r.Valid() {
		filter.Role = r
	}
	filter.PartnerID, _ = strconv.ParseInt(c.QueryParam("partner"), 10, 64)
	filter.Page, _ = strconv.Atoi(c.QueryParam("page"))
	filter.Page = max(filter.Page, 1)
	page.Filtered = filter.Query != "" || filter.Role != "" || filter.PartnerID != 0

	page.Roles = []option{{Value: "", Label: "Any role", Selected: filter.Role == ""}}
	for _, r := range roleLabels {
		page.Roles = append(page.Roles, option{Value: string(r.Role), Label: r.Label, Selected: r.Role == filter.Role})
	}
	opts, err := s.partnerOptions(c, "Any organisation", filter.PartnerID)
	if err != nil {
		return err
	}
	page.Partners = opts

	users, total, err := s.Accounts.List(ctx, filter)
	if err != nil {
		return err
	}
	page.Users, page.Total = users, total
	q := url.Values{}
	for _, key := range []string{"q", "role", "partner"} {
		if v := c.QueryParam(key); v != "" {
			q.Set(key, v)
		}
	}
	page.Pagination = newPagination(filter.Page, adminUsersPerPage, total, func(n int) string {
		q.Set("page", itoa(n))
		return "/admin/users?" + q.Encode()
	})
	return s.render.render(c, http.StatusOK, "admin-users", page)
}

// partnerOptions lists every partner for a select, after a first empty
// option with the given label; the partner with id chosen is selected.
func (s *Server) partnerOptions(c echo.Context, first string, chosen int64) ([]option, error) {
	list, err := s.Partners.List(c.Request().Context(), partnersAll)
	if err != nil {
		return nil, err
	}
	opts := []option{{Value: "", Label: first, Selected: chosen == 0}}
	for _, p := range list {
		label := p.Name
		if !p.Active {
			label += " (inactive)"
		}
		opts = append(opts, option{Value: itoa64(p.ID), Label: label, Selected: p.ID == chosen})
	}
	return opts, nil
}

// adminUserPage is one person's access: their role, organisations and
// whether they can sign in, with a form for each.
type adminUserPage struct {
	adminBase
	Account        accounts.User
	Self           bool // the admin is looking at their own account
	Sessions       int  // live sessions
	RoleForm       *form
	MembershipForm *form
	Roles          []option
	PartnerRoles   []option
	Partners       []option
}

var partnerRoleOptions = []option{
	{Value: string(accounts.Recruiter), Label: "Recruiter: posts and manages jobs"},
	{Value: string(accounts.PartnerAdmin), Label: "Partner admin: also manages the team and the employer profile"},
}

// loadAccount reads the user in the URL.
func (s *Server) loadAccount(c echo.Context) (accounts.User, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return accounts.User{}, err
	}
	u, err := s.Accounts.Get(c.Request().Context(), id)
	if errors.Is(err, accounts.ErrNotFound) {
		return u, echo.ErrNotFound
	}
	return u, err
}

func (s *Server) userPage(c echo.Context, status int, u accounts.User, roleForm, membershipForm *form) error {
	devices, err := s.Sessions.Devices(c.Request().Context(), u.ID, nil)
	if err != nil {
		return err
	}
	if roleForm == nil {
		roleForm = newForm(nil, "role")
		roleForm.Values.Set("role", string(u.Role))
	}
	if membershipForm == nil {
		membershipForm = newForm(nil, "partner", "membership_role")
		membershipForm.Values.Set("membership_role", string(accounts.Recruiter))
	}
	chosen, _ := strconv.ParseInt(membershipForm.Value("partner"), 10, 64)
	opts, err := s.partnerOptions(c, "Choose an organisation", chosen)
	if err != nil {
		return err
	}
	page := adminUserPage{adminBase: s.adminBase(c, u.Name, "users"), Account: u, Self: u.ID == currentUser(c).ID,
		Sessions: len(devices), RoleForm: roleForm, MembershipForm: membershipForm, PartnerRoles: partnerRoleOptions,
		Partners: opts}
	for _, r := range roleLabels {
		page.Roles = append(page.Roles, option{Value: string(r.Role), Label: r.Label + ": " + r.Hint})
	}
	return s.render.render(c, status, "admin-user", page)
}

func (s *Server) adminUser(c echo.Context) error {
	u, err := s.loadAccount(c)
	if err != nil {
		return err
	}
	return s.userPage(c, http.StatusOK, u, nil, nil)
}

func userPath(u accounts.User) string { return "/admin/users/" + itoa64(u.ID) }

func (s *Server) adminSetRole(c echo.Context) error {
	u, err := s.loadAccount(c)
	if err != nil {
		return err
	}
	f := newForm(mustForm(c), "role")
	role := accounts.Role(f.Value("role"))
	switch {
	case !role.Valid():
		f.Fail("role", "Choose a role")
	case u.ID == currentUser(c).ID && role != accounts.Admin:
		f.Fail("role", "You cannot take away your own admin role. Ask another admin to do it, so that someone can always run the portal")
	}
	if !f.OK() {
		return s.userPage(c, http.StatusUnprocessableEntity, u, f, nil)
	}
	if role == u.Role {
		return c.Redirect(http.StatusSeeOther, userPath(u))
	}
	if err := s.Accounts.SetRole(c.Request().Context(), u.ID, role); err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "user.set-role", TargetType: "user", TargetID: itoa64(u.ID),
		Before: map[string]string{"role": string(u.Role)}, After: map[string]string{"role": string(role)}}); err != nil {
		return err
	}
	message := u.Name + "’s role is now " + roleLabel(role) + "."
	if role == accounts.Admin && !u.TOTPEnabled {
		message += " They will be asked to set up two-factor sign-in before they can use the admin pages."
	}
	return s.redirectWithFlash(c, userPath(u), message)
}

func (s *Server) adminAddMembership(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.loadAccount(c)
	if err != nil {
		return err
	}
	f := newForm(mustForm(c), "partner", "membership_role")
	role := accounts.PartnerRole(f.Value("membership_role"))
	if !role.Valid() {
		f.Fail("membership_role", "Choose what they can do")
	}
	var p partners.Partner
	partnerID, _ := strconv.ParseInt(f.Value("partner"), 10, 64)
	if partnerID <= 0 {
		f.Fail("partner", "Choose an organisation")
	} else if p, err = s.Partners.Get(ctx, partnerID); errors.Is(err, partners.ErrNotFound) {
		f.Fail("partner", "Choose an organisation")
	} else if err != nil {
		return err
	}
	if !f.OK() {
		return s.userPage(c, http.StatusUnprocessableEntity, u, nil, f)
	}
	if err := s.Accounts.AddMember(ctx, u.ID, p.ID, role); err != nil {
		return err
	}
	entry := audit.Entry{Action: "membership.add", TargetType: "user", TargetID: itoa64(u.ID), PartnerID: p.ID,
		After: map[string]string{"role": string(role)}}
	if was, ok := u.Membership(p.ID); ok {
		entry.Action, entry.Before = "membership.change-role", map[string]string{"role": string(was.Role)}
	}
	if err := s.recordAudit(c, entry); err != nil {
		return err
	}
	as := "a recruiter"
	if role == accounts.PartnerAdmin {
		as = "a partner admin"
	}
	return s.redirectWithFlash(c, userPath(u), u.Name+" is now "+as+" for "+p.Name+".")
}

func (s *Server) adminRemoveMembership(c echo.Context) error {
	u, err := s.loadAccount(c)
	if err != nil {
		return err
	}
	partnerID, err := idParam(c, "partner")
	if err != nil {
		return err
	}
	m, ok := u.Membership(partnerID)
	if !ok {
		return echo.ErrNotFound
	}
	if err := s.Accounts.RemoveMember(c.Request().Context(), u.ID, partnerID); errors.Is(err, accounts.ErrNotFound) {
		return echo.ErrNotFound
	} else if err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "membership.remove", TargetType: "user", TargetID: itoa64(u.ID),
		PartnerID: partnerID, Before: map[string]string{"role": string(m.Role)}}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, userPath(u), u.Name+" no longer recruits for "+m.PartnerName+".")
}

// adminSetDisabled stops or restores someone's sign-in. Disabling also
// ends every session they have, so it takes effect at once.
func (s *Server) adminSetDisabled(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.loadAccount(c)
	if err != nil {
		return err
	}
	disabled, err := boolParam(c, "disabled")
	if err != nil {
		return err
	}
	if disabled && u.ID == currentUser(c).ID {
		return &UserError{Status: http.StatusConflict, Message: "You cannot disable your own account. Ask another admin to do it."}
	}
	if disabled == u.Disabled {
		return c.Redirect(http.StatusSeeOther, userPath(u))
	}
	if err := s.Accounts.SetDisabled(ctx, u.ID, disabled); err != nil {
		return err
	}
	entry := audit.Entry{Action: "user.enable", TargetType: "user", TargetID: itoa64(u.ID),
		Before: map[string]bool{"disabled": u.Disabled}, After: map[string]any{"disabled": disabled}}
	message := u.Name + " can sign in again."
	if disabled {
		ended, err := s.Sessions.RevokeUser(ctx, u.ID, nil)
		if err != nil {
			return err
		}
		entry.Action, entry.After = "user.disable", map[string]any{"disabled": true, "sessions_ended": ended}
		message = u.Name + " can no longer sign in, and has been signed out everywhere."
	}
	if err := s.recordAudit(c, entry); err != nil {
		return err
	}
	return s.redirectWithFlash(c, userPath(u), message)
}

// adminSignOutUser ends every session of the user; an admin signing
// themselves out everywhere keeps the session they are using.
func (s *Server) adminSignOutUser(c echo.Context) error {
	u, err := s.loadAccount(c)
	if err != nil {
		return err
	}
	self := u.ID == currentUser(c).ID
	keep := currentSession(c)
	if !self {
		keep = nil
	}
	ended, err := s.Sessions.RevokeUser(c.Request().Context(), u.ID, keep)
	if err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "user.sign-out-everywhere", TargetType: "user", TargetID: itoa64(u.ID),
		After: map[string]int{"sessions_ended": ended}}); err != nil {
		return err
	}
	message := u.Name + " is signed out of " + itoa(ended) + " " + plural(ended, "session", "sessions") + "."
	if self {
		message = "You are signed out everywhere except this browser (" + itoa(ended) + " other " + plural(ended, "session", "sessions") + ")."
	}
	return s.redirectWithFlash(c, userPath(u), message)
}

// adminResetTwoFactor turns off someone else's two-factor sign-in, for a
// lost phone with no recovery codes left, and ends their sessions.
func (s *Server) adminResetTwoFactor(c echo.Context) error {
	u, err := s.loadAccount(c)
	if err != nil {
		return err
	}
	if u.ID == currentUser(c).ID {
		return &UserError{Status: http.StatusConflict, Message: "You cannot reset your own two-factor sign-in. Ask another admin, or use a recovery code."}
	}
	ctx := c.Request().Context()
	if err := s.Accounts.DisableTwoFactor(ctx, u.ID); err != nil {
		return err
	}
	if _, err := s.Sessions.RevokeUser(ctx, u.ID, nil); err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "two-factor.reset", TargetType: "user", TargetID: itoa64(u.ID),
		Before: map[string]bool{"two_factor": u.TOTPEnabled}, After: map[string]bool{"two_factor": false}}); err != nil {
		return err
	}
	s.mailTwoFactorChanged(c, u, false)
	return s.redirectWithFlash(c, userPath(u), u.Name+"'s two-factor sign-in is off and they are signed out everywhere.")
}
