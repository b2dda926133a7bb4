package site

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/audit"
)

const adminAuditPerPage = 50

// auditTargetTypes are the kinds of record the log names, for its filter.
var auditTargetTypes = []option{
	{Value: "", Label: "Any"}, {Value: "partner", Label: "Partner"}, {Value: "user", Label: "Person"},
	{Value: "vacancy", Label: "Vacancy"}, {Value: "invitation", Label: "Invitation"}, {Value: "feed", Label: "Feed"},
	{Value: "search", Label: "Search"},
}

type auditEntryView struct {
	audit.Row
	TargetURL   string // the target's admin page, if it has one
	PartnerName string
	PartnerURL  string
}

type adminAuditPage struct {
	adminBase
	Form       *form
	Actions    []option
	Targets    []option
	Partners   []option
	Entries    []auditEntryView
	Total      int
	Pagination pager
}

func (s *Server) adminAudit(c echo.Context) error {
	ctx := c.Request().Context()
	f := newForm(c.QueryParams(), "actor", "action", "target", "partner", "from", "to")
	filter := audit.Filter{Actor: f.Trimmed("actor"), Action: f.Value("action"), TargetType: f.Value("target"),
		TargetID: f.Trimmed("target_id"), PerPage: adminAuditPerPage}
	filter.PartnerID, _ = strconv.ParseInt(f.Value("partner"), 10, 64)
	filter.From = ukMidnight(f.Date("from", "from date", false))
	if to := f.Date("to", "to date", false); !to.IsZero() {
		filter.To = ukMidnight(to.AddDate(0, 0, 1)) // to the end of that day
	}
	if !filter.From.IsZero() && !filter.To.IsZero() && !filter.To.After(filter.From) {
		f.Fail("to", "The to date must be the same as or after the from date")
	}
	filter.Page, _ = strconv.Atoi(c.QueryParam("page"))
	filter.Page = max(filter.Page, 1)

	page := adminAuditPage{adminBase: s.adminBase(c, "Audit log", "audit"), Form: f}
	actions, err := s.Audit.Actions(ctx)
	if err != nil {
		return err
	}
	page.Actions = []option{{Value: "", Label: "Any"}}
	for _, a := range actions {
		page.Actions = append(page.Actions, option{Value: a, Label: a})
	}
	page.Targets = auditTargetTypes
	if page.Partners, err = s.partnerOptions(c, "Any", filter.PartnerID); err != nil {
		return err
	}
	if !f.OK() {
		return s.render.render(c, http.StatusUnprocessableEntity, "admin-audit", page)
	}

	rows, total, err := s.Audit.List(ctx, filter)
	if err != nil {
		return err
	}
	names, err := s.partnerNamesByID(c)
	if err != nil {
		return err
	}
	page.Total = total
	for _, r := range rows {
		v := auditEntryView{Row: r, TargetURL: auditTargetURL(r.TargetType, r.TargetID)}
		if r.PartnerID != 0 {
			v.PartnerName, v.PartnerURL = names[r.PartnerID], "/admin/partners/"+itoa64(r.PartnerID)
		}
		page.Entries = append(page.Entries, v)
	}
	q := url.Values{}
	for key, values := range c.QueryParams() {
		if key != "page" && len(values) > 0 && values[0] != "" {
			q.Set(key, values[0])
		}
	}
	page.Pagination = newPagination(filter.Page, adminAuditPerPage, total, func(n int) string {
		q.Set("page", itoa(n))
		return "/admin/audit?" + q.Encode()
	})
	return s.render.render(c, http.StatusOK, "admin-audit", page)
}

// ukMidnight is the start of the day t names, on the region's clock.
func ukMidnight(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, ukTime)
}

// auditTargetURL links a log entry to the admin page of what it changed.
func auditTargetURL(targetType, id string) string {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return ""
	}
	switch targetType {
	case "partner":
		return "/admin/partners/" + id
	case "user":
		return "/admin/users/" + id
	case "feed":
		return "/admin/feeds/" + id
	}
	return ""
}

// partnerNamesByID names every partner, active or not, by id.
func (s *Server) partnerNamesByID(c echo.Context) (map[int64]string, error) {
	list, err := s.Partners.List(c.Request().Context(), partnersAll)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(list))
	for _, p := range list {
		names[p.ID] = p.Name
	}
	return names, nil
}
