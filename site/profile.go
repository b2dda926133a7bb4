package site

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/profiles"
)

// The jobseeker's profile: contact details, right to work, registration and
// a supporting statement on one form, and work history, education and
// referees as lists with a form per entry. The staff passport, the data
// download and account deletion are in profile_passport.go and
// profile_data.go.

var profilePages = []string{"profile", "profile-job", "profile-education", "profile-reference",
	"profile-passport", "profile-passport-item", "profile-delete"}

func (s *Server) jobseekerRoutes(g *echo.Group) {
	g.GET("/profile", s.jobseekerProfile, s.requireUser)
	g.POST("/profile", s.saveJobseekerProfile, s.requireUser)
	for _, list := range profileLists {
		g.GET("/profile/"+list.Path+"/new", s.profileEntryForm(list), s.requireUser)
		g.POST("/profile/"+list.Path+"/new", s.saveProfileEntry(list), s.requireUser)
		g.GET("/profile/"+list.Path+"/:n", s.profileEntryForm(list), s.requireUser)
		g.POST("/profile/"+list.Path+"/:n", s.saveProfileEntry(list), s.requireUser)
		g.POST("/profile/"+list.Path+"/:n/remove", s.removeProfileEntry(list), s.requireUser)
	}

	g.GET("/passport", s.passport, s.requireUser)
	g.GET("/passport/new", s.newPassportItemForm, s.requireUser)
	g.POST("/passport/new", s.addPassportItem, s.requireUser)
	g.GET("/passport/:id", s.passportItemForm, s.requireUser)
	g.POST("/passport/:id", s.updatePassportItem, s.requireUser)
	g.POST("/passport/:id/remove", s.removePassportItem, s.requireUser)
	g.POST("/passport/:id/evidence", s.uploadEvidence, s.requireUser)
	g.GET("/passport/evidence/:id", s.ownEvidence, s.requireUser)
	g.POST("/passport/evidence/:id/remove", s.removeEvidence, s.requireUser)

	g.GET("/data", s.downloadData, s.requireUser)
	g.GET("/delete", s.deleteAccountForm, s.requireUser)
	g.POST("/delete", s.deleteAccount, s.requireUser)
	g.GET("/deleted", s.accountDeleted)
}

// profileNotFound turns the profile store's not found into the site's.
func profileNotFound(err error) error {
	if errors.Is(err, profiles.ErrNotFound) {
		return echo.ErrNotFound
	}
	return err
}

// --- contact details, right to work, registration, statement -------------

var profileDetailsOrder = []string{"phone", "address", "postcode", "right_to_work", "registration_body",
	"registration_number", "statement"}

// profileHomePage is /account/profile.
type profileHomePage struct {
	Base
	Profile      profiles.Profile
	Form         *form
	Ready        bool
	Missing      []string
	RightToWork  []option
	Bodies       []option
	Lists        []profileListView
	MaxListItems int
}

// profileListView is one list section of the profile page.
type profileListView struct {
	profileList
	Entries []profileEntryView
	Full    bool
}

// profileEntryView is one entry as the profile page summarises it.
type profileEntryView struct {
	N            int    // 1-based, as in its URL
	Heading      string // "Staff nurse"
	Detail       string // "Fen Valley Trust, April 2019 to now"
	Label        string // for the hidden text of its buttons: "Staff nurse at Fen Valley Trust"
	ChangeURL    string
	RemoveAction string
}

func (s *Server) jobseekerProfile(c echo.Context) error {
	p, err := s.Profiles.Get(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	f := newForm(nil, profileDetailsOrder...)
	for name, value := range map[string]string{"phone": p.Phone, "address": p.Address, "postcode": p.Postcode,
		"right_to_work": p.RightToWork, "registration_body": p.RegistrationBody,
		"registration_number": p.RegistrationNumber, "statement": p.Statement} {
		f.Values.Set(name, value)
	}
	if p.RegistrationBody == "" {
		f.Values.Set("registration_body", "none")
	}
	return s.renderProfile(c, http.StatusOK, p, f)
}

func (s *Server) saveJobseekerProfile(c echo.Context) error {
	ctx := c.Request().Context()
	f := newForm(mustForm(c), profileDetailsOrder...)
	err := s.Profiles.Update(ctx, currentUser(c).ID, func(p *profiles.Profile) error {
		p.Phone, p.Address, p.Postcode = f.Value("phone"), f.Value("address"), f.Value("postcode")
		p.RightToWork, p.RegistrationBody = f.Value("right_to_work"), f.Value("registration_body")
		if p.RegistrationBody == "none" {
			p.RegistrationBody = ""
		}
		p.RegistrationNumber, p.Statement = f.Value("registration_number"), f.Value("statement")
		return nil
	})
	var verr profiles.ValidationError
	switch {
	case errors.As(err, &verr):
		f.Merge(verr, nil)
		p, err := s.Profiles.Get(ctx, currentUser(c).ID)
		if err != nil {
			return err
		}
		return s.renderProfile(c, http.StatusUnprocessableEntity, p, f)
	case err != nil:
		return err
	}
	return s.redirectWithFlash(c, "/account/profile", "Your profile is saved.")
}

func (s *Server) renderProfile(c echo.Context, status int, p profiles.Profile, f *form) error {
	page := profileHomePage{Base: s.accountBase(c, "Your profile"), Profile: p, Form: f, MaxListItems: profiles.MaxListItems}
	page.Ready, page.Missing = p.Complete()
	for _, o := range profiles.RightToWork {
		page.RightToWork = append(page.RightToWork, option{Value: o.Value, Label: o.Label})
	}
	for _, b := range profiles.RegistrationBodies {
		page.Bodies = append(page.Bodies, option{Value: b.Value, Label: b.Label})
	}
	page.Bodies = append(page.Bodies, option{Value: "none", Label: "I am not registered with one of these"})
	for _, list := range profileLists {
		view := profileListView{profileList: list, Full: list.Len(p) >= profiles.MaxListItems}
		for i := range list.Len(p) {
			heading, detail, label := list.Summary(p, i)
			n := strconv.Itoa(i + 1)
			view.Entries = append(view.Entries, profileEntryView{N: i + 1, Heading: heading, Detail: detail, Label: label,
				ChangeURL: "/account/profile/" + list.Path + "/" + n, RemoveAction: "/account/profile/" + list.Path + "/" + n + "/remove"})
		}
		page.Lists = append(page.Lists, view)
	}
	return s.render.render(c, status, "profile", page)
}

// --- work history, education and referees --------------------------------

// profileList describes one list of the profile: where its forms live,
// how an entry goes into and comes out of its form, and how it is summed up.
type profileList struct {
	Path     string   // in URLs: "jobs"
	Page     string   // the template of its form
	Heading  string   // "Work history"
	Noun     string   // "job"
	AddLabel string   // "Add a job"
	Intro    string   // under the section heading
	Fields   []string // form ids in page order
	Len      func(profiles.Profile) int
	Load     func(profiles.Profile, int, *form)  // entry i into the form
	Check    func(*form) map[string]string       // the form's entry, validated
	Put      func(*profiles.Profile, int, *form) // the form's entry as entry i (i == Len: added)
	Remove   func(*profiles.Profile, int)        // entry i taken out
	Summary  func(profiles.Profile, int) (heading, detail, label string)
}

var profileLists = []profileList{jobsList, educationList, referencesList}

// profileEntryPage is the form for one entry of a list.
type profileEntryPage struct {
	Base
	List    profileList
	Form    *form
	Action  string
	Editing bool
	From    field // the job's start and end: month and year inputs
	To      field
}

// entryIndex reads :n, 1-based in URLs; "new" (no :n) is n = count.
func entryIndex(c echo.Context, count int) (int, error) {
	if c.Param("n") == "" {
		return count, nil
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 || n > count {
		return 0, echo.ErrNotFound
	}
	return n - 1, nil
}

func (s *Server) profileEntryForm(list profileList) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.Profiles.Get(c.Request().Context(), currentUser(c).ID)
		if err != nil {
			return err
		}
		i, err := entryIndex(c, list.Len(p))
		if err != nil {
			return err
		}
		f := newForm(nil, list.Fields...)
		if i < list.Len(p) {
			list.Load(p, i, f)
		}
		return s.renderProfileEntry(c, http.StatusOK, list, f, i < list.Len(p))
	}
}

func (s *Server) saveProfileEntry(list profileList) echo.HandlerFunc {
	return func(c echo.Context) error {
		f := newForm(mustForm(c), list.Fields...)
		editing := c.Param("n") != ""
		f.Merge(list.Check(f), nil)
		if !f.OK() {
			return s.renderProfileEntry(c, http.StatusUnprocessableEntity, list, f, editing)
		}
		err := s.Profiles.Update(c.Request().Context(), currentUser(c).ID, func(p *profiles.Profile) error {
			i, err := entryIndex(c, list.Len(*p))
			if err != nil {
				return err
			}
			list.Put(p, i, f)
			return nil
		})
		var verr profiles.ValidationError
		switch {
		case errors.As(err, &verr):
			f.Merge(entryErrors(list, verr), nil)
			return s.renderProfileEntry(c, http.StatusUnprocessableEntity, list, f, editing)
		case err != nil:
			return err
		}
		verb := "added"
		if editing {
			verb = "changed"
		}
		return s.redirectWithFlash(c, "/account/profile#"+list.Path, "The "+list.Noun+" is "+verb+".")
	}
}

// entryErrors places the profile's errors on the entry's form: the list's
// own ("up to 10 jobs") on its first field, an entry's on its field.
func entryErrors(list profileList, verr profiles.ValidationError) map[string]string {
	errs := map[string]string{}
	for key, msg := range verr {
		switch parts := strings.SplitN(key, ".", 3); {
		case key == list.Path:
			errs[list.Fields[0]] = msg + ". Remove one to add another"
		case len(parts) == 3 && parts[0] == list.Path:
			errs[parts[2]] = msg
		default:
			errs[list.Fields[0]] = "Your profile has a problem to fix first: " + msg
		}
	}
	return errs
}

func (s *Server) renderProfileEntry(c echo.Context, status int, list profileList, f *form, editing bool) error {
	verb := "Add"
	if editing {
		verb = "Change"
	}
	title := verb + " a " + list.Noun
	if editing {
		title = verb + " the " + list.Noun
	}
	page := profileEntryPage{Base: s.accountBase(c, title), List: list, Form: f, Action: c.Request().URL.Path, Editing: editing,
		From: monthInput(f, "from", "When did you start?", "For example, 4 2019"),
		To:   monthInput(f, "to", "When did it end?", "Leave this empty if you still work there")}
	return s.render.render(c, status, list.Page, page)
}

// monthInput is a month-and-year date input: Options hold the month's and
// the year's values.
func monthInput(f *form, name, label, hint string) field {
	return field{ID: name, Name: name, Label: label, Hint: hint, Error: f.Error(name),
		Options: []option{{Value: f.Value(name + "-month")}, {Value: f.Value(name + "-year")}}}
}

func (s *Server) removeProfileEntry(list profileList) echo.HandlerFunc {
	return func(c echo.Context) error {
		var label string
		err := s.Profiles.Update(c.Request().Context(), currentUser(c).ID, func(p *profiles.Profile) error {
			i, err := entryIndex(c, list.Len(*p))
			if err != nil {
				return err
			}
			_, _, label = list.Summary(*p, i)
			list.Remove(p, i)
			return nil
		})
		if err != nil {
			return err
		}
		return s.redirectWithFlash(c, "/account/profile#"+list.Path, label+" is removed.")
	}
}
