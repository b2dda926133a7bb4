package site

import (
	"errors"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/profiles"
)

// The staff passport: training, a DBS check and occupational health
// clearance, each with its evidence files.

// passportKind is how the passport's pages talk about one kind of item.
type passportKind struct {
	Value, Heading, Intro, Noun, AddLabel        string
	TitleLabel, TitleHint                        string
	ProviderLabel, ReferenceLabel, ReferenceHint string
	CompletedLabel, ExpiresLabel, ExpiresHint    string
}

var passportKinds = []passportKind{
	{Value: profiles.Training, Heading: "Training", Noun: "training record", AddLabel: "Add training",
		Intro:      "Statutory and mandatory training, and other courses, with the date you need to renew each.",
		TitleLabel: "Course or topic", TitleHint: "For example, Basic life support, Moving and handling, Safeguarding adults level 2",
		ProviderLabel: "Who provided it (optional)", ReferenceLabel: "Certificate number (optional)",
		CompletedLabel: "When did you complete it? (optional)", ExpiresLabel: "When does it need renewing? (optional)",
		ExpiresHint: "For example, 27 3 2027. Leave it empty if it does not expire"},
	{Value: profiles.DBS, Heading: "DBS check", Noun: "DBS check", AddLabel: "Add a DBS check",
		Intro:      "Your Disclosure and Barring Service certificate. Employers can check one on the Update Service online.",
		TitleLabel: "Level of check", TitleHint: "For example, Enhanced with adults' and children's barred lists",
		ProviderLabel: "Organisation that asked for it (optional)", ReferenceLabel: "Certificate number (optional)",
		ReferenceHint:  "12 digits, at the top right of the certificate",
		CompletedLabel: "Date of issue (optional)", ExpiresLabel: "When do you plan to renew it? (optional)",
		ExpiresHint: "A certificate does not expire, but many employers ask for a new one after 3 years"},
	{Value: profiles.OccupationalHealth, Heading: "Occupational health", Noun: "occupational health clearance",
		AddLabel:   "Add a clearance",
		Intro:      "Clearances from an occupational health service, such as fitness to work and immunisations.",
		TitleLabel: "Clearance", TitleHint: "For example, Fit to work with patients, or Hepatitis B immunity",
		ProviderLabel: "Occupational health service (optional)", ReferenceLabel: "Reference (optional)",
		CompletedLabel: "Date of clearance (optional)", ExpiresLabel: "When does it need renewing? (optional)",
		ExpiresHint: "Leave it empty if it does not expire"},
}

func kindOf(value string) (passportKind, bool) {
	i := slices.IndexFunc(passportKinds, func(k passportKind) bool { return k.Value == value })
	if i < 0 {
		return passportKind{}, false
	}
	return passportKinds[i], true
}

// passportPage is /account/passport.
type passportPage struct {
	Base
	Sections []passportSection
}

type passportSection struct {
	passportKind
	Items []passportItemView
}

// passportItemView is an item with its expiry worked out for today.
type passportItemView struct {
	profiles.PassportItem
	Expired, ExpiresSoon bool
}

func (s *Server) today() time.Time { return s.Now().In(ukTime) }

func (s *Server) passport(c echo.Context) error {
	items, err := s.Profiles.Passport(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	page := passportPage{Base: s.accountBase(c, "Your staff passport")}
	today := s.today()
	for _, kind := range passportKinds {
		section := passportSection{passportKind: kind}
		for _, item := range items {
			if item.Kind == kind.Value {
				section.Items = append(section.Items, passportItemView{PassportItem: item,
					Expired: item.Expired(today), ExpiresSoon: item.ExpiresSoon(today)})
			}
		}
		page.Sections = append(page.Sections, section)
	}
	return s.render.render(c, http.StatusOK, "profile-passport", page)
}

// passportItemPage adds or changes one item, and lists and takes its
// evidence files once it exists.
type passportItemPage struct {
	Base
	Kind          passportKind
	Item          passportItemView // ID 0 while adding
	Files         []evidenceView
	Form          *form
	FileForm      *form
	UpdateService []option
	MaxFiles      int
}

// evidenceView is a file as the item page lists it.
type evidenceView struct {
	profiles.Evidence
	SizeText string // "240 KB"
}

func fileSize(n int) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.Itoa(n>>10) + " KB"
	}
	return strconv.Itoa(n) + " bytes"
}

var passportItemOrder = []string{"title", "provider", "reference", "on_update_service", "completed_on", "expires_on"}

func (s *Server) renderPassportItem(c echo.Context, status int, kind passportKind, item profiles.PassportItem, f, fileForm *form) error {
	title := "Add a " + kind.Noun
	if item.ID != 0 {
		title = item.Title
	}
	if fileForm == nil {
		fileForm = newForm(nil, "file")
	}
	today := s.today()
	page := passportItemPage{Base: s.accountBase(c, title), Kind: kind, Form: f, FileForm: fileForm, MaxFiles: profiles.MaxEvidencePerItem,
		Item:          passportItemView{PassportItem: item, Expired: item.Expired(today), ExpiresSoon: item.ExpiresSoon(today)},
		UpdateService: []option{{Value: "yes", Label: "My certificate is on the DBS Update Service"}}}
	for _, ev := range item.Evidence {
		page.Files = append(page.Files, evidenceView{Evidence: ev, SizeText: fileSize(ev.Size)})
	}
	return s.render.render(c, status, "profile-passport-item", page)
}

func itemFromForm(f *form, kind string) profiles.PassportItem {
	return profiles.PassportItem{Kind: kind, Title: f.Trimmed("title"), Provider: f.Trimmed("provider"),
		Reference: f.Trimmed("reference"), OnUpdateService: f.Has("on_update_service", "yes"),
		CompletedOn: f.Date("completed_on", "date", false), ExpiresOn: f.Date("expires_on", "date", false)}
}

func itemToForm(i profiles.PassportItem) *form {
	f := newForm(nil, passportItemOrder...)
	f.Values.Set("title", i.Title)
	f.Values.Set("provider", i.Provider)
	f.Values.Set("reference", i.Reference)
	if i.OnUpdateService {
		f.Values.Set("on_update_service", "yes")
	}
	f.SetDate("completed_on", i.CompletedOn)
	f.SetDate("expires_on", i.ExpiresOn)
	return f
}

func (s *Server) newPassportItemForm(c echo.Context) error {
	kind, ok := kindOf(c.QueryParam("kind"))
	if !ok {
		return echo.ErrNotFound
	}
	return s.renderPassportItem(c, http.StatusOK, kind, profiles.PassportItem{Kind: kind.Value}, newForm(nil, passportItemOrder...), nil)
}

func (s *Server) addPassportItem(c echo.Context) error {
	f := newForm(mustForm(c), passportItemOrder...)
	kind, ok := kindOf(f.Value("kind"))
	if !ok {
		return echo.ErrNotFound
	}
	item := itemFromForm(f, kind.Value)
	if f.OK() {
		id, err := s.Profiles.AddItem(c.Request().Context(), currentUser(c).ID, item)
		var verr profiles.ValidationError
		switch {
		case errors.As(err, &verr):
			f.Merge(verr, nil)
		case err != nil:
			return err
		default:
			return s.redirectWithFlash(c, "/account/passport/"+itoa64(id),
				"The "+kind.Noun+" is added. You can upload a certificate or letter to back it up.")
		}
	}
	return s.renderPassportItem(c, http.StatusUnprocessableEntity, kind, profiles.PassportItem{Kind: kind.Value}, f, nil)
}

// loadPassportItem reads the signed-in user's item in the URL: another
// user's is a 404.
func (s *Server) loadPassportItem(c echo.Context) (profiles.PassportItem, passportKind, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return profiles.PassportItem{}, passportKind{}, err
	}
	item, err := s.Profiles.Item(c.Request().Context(), currentUser(c).ID, id)
	if err != nil {
		return item, passportKind{}, profileNotFound(err)
	}
	kind, _ := kindOf(item.Kind)
	return item, kind, nil
}

func (s *Server) passportItemForm(c echo.Context) error {
	item, kind, err := s.loadPassportItem(c)
	if err != nil {
		return err
	}
	return s.renderPassportItem(c, http.StatusOK, kind, item, itemToForm(item), nil)
}

func (s *Server) updatePassportItem(c echo.Context) error {
	item, kind, err := s.loadPassportItem(c)
	if err != nil {
		return err
	}
	f := newForm(mustForm(c), passportItemOrder...)
	changed := itemFromForm(f, kind.Value)
	changed.ID = item.ID
	if f.OK() {
		err := s.Profiles.UpdateItem(c.Request().Context(), currentUser(c).ID, changed)
		var verr profiles.ValidationError
		switch {
		case errors.As(err, &verr):
			f.Merge(verr, nil)
		case err != nil:
			return profileNotFound(err)
		default:
			return s.redirectWithFlash(c, "/account/passport#"+kind.Value, "The "+kind.Noun+" is saved.")
		}
	}
	return s.renderPassportItem(c, http.StatusUnprocessableEntity, kind, item, f, nil)
}

func (s *Server) removePassportItem(c echo.Context) error {
	item, kind, err := s.loadPassportItem(c)
	if err != nil {
		return err
	}
	if err := s.Profiles.DeleteItem(c.Request().Context(), currentUser(c).ID, item.ID); err != nil {
		return profileNotFound(err)
	}
	return s.redirectWithFlash(c, "/account/passport#"+kind.Value, item.Title+" is removed from your passport.")
}

// --- evidence ------------------------------------------------------------

func (s *Server) uploadEvidence(c echo.Context) error {
	item, kind, err := s.loadPassportItem(c)
	if err != nil {
		return err
	}
	fileForm := newForm(nil, "file")
	data, err := readUpload(c, "file", profiles.MaxEvidenceBytes)
	var uerr uploadError
	switch {
	case errors.As(err, &uerr):
		fileForm.Fail("file", string(uerr))
	case err != nil:
		return err
	default:
		name := "evidence"
		if fh, err := c.FormFile("file"); err == nil {
			name = fh.Filename
		}
		ev, err := s.Profiles.AddEvidence(c.Request().Context(), currentUser(c).ID, item.ID, name, data)
		var verr profiles.ValidationError
		switch {
		case errors.As(err, &verr):
			fileForm.Merge(verr, nil)
		case err != nil:
			return profileNotFound(err)
		default:
			return s.redirectWithFlash(c, "/account/passport/"+itoa64(item.ID), ev.Name+" is uploaded.")
		}
	}
	return s.renderPassportItem(c, http.StatusUnprocessableEntity, kind, item, itemToForm(item), fileForm)
}

// ownEvidence serves one of the signed-in user's files to them.
func (s *Server) ownEvidence(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ev, data, err := s.Profiles.EvidenceForOwner(c.Request().Context(), currentUser(c).ID, id)
	if err != nil {
		return profileNotFound(err)
	}
	return serveEvidence(c, ev, data)
}

// recruiterEvidenceRoute adds the partner-facing evidence download to the
// recruiter group /recruiter/:partner.
func (s *Server) recruiterEvidenceRoute(p *echo.Group) {
	p.GET("/evidence/:id", s.recruiterEvidence)
}

// recruiterEvidence serves an applicant's evidence file to a partner they
// applied to with their passport shared; to any other partner it does
// not exist. Every download is audited.
func (s *Server) recruiterEvidence(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	partner := currentPartner(c)
	ev, data, err := s.Profiles.EvidenceForPartner(c.Request().Context(), partner.ID, id)
	if err != nil {
		return profileNotFound(err)
	}
	if err := s.recordAudit(c, audit.Entry{Action: "evidence.download", TargetType: "evidence", TargetID: itoa64(ev.ID),
		PartnerID: partner.ID, After: map[string]any{"name": ev.Name}}); err != nil {
		return err
	}
	return serveEvidence(c, ev, data)
}

// serveEvidence sends a file as a download only: never shown in the
// browser, never sniffed, never cached, and sandboxed if it is opened.
func serveEvidence(c echo.Context, ev profiles.Evidence, data []byte) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, ev.ContentType, data)
}

func (s *Server) removeEvidence(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ev, err := s.Profiles.DeleteEvidence(c.Request().Context(), currentUser(c).ID, id)
	if err != nil {
		return profileNotFound(err)
	}
	return s.redirectWithFlash(c, "/account/passport/"+itoa64(ev.ItemID), ev.Name+" is removed.")
}
