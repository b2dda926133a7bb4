package site_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/profiles"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// portalJob publishes a job of p that people apply for here, with their
// profile, as a recruiter would in the console.
func (f *fixture) portalJob(t *testing.T, p partners.Partner, title string) vacancies.Vacancy {
	t.Helper()
	ctx := context.Background()
	v := vt.New(p, vt.Title(title), func(v *vacancies.Vacancy) { v.ApplyMethod, v.ApplyURL = vacancies.ApplyPortal, "" })
	id, err := f.vacancies.Create(ctx, p.ID, 0, v, vacancies.Action{Kind: vacancies.ActionPublish})
	must(t, err)
	v, err = f.vacancies.Get(ctx, id)
	must(t, err)
	return v
}

// completeProfile fills in everything an application needs.
func (f *fixture) completeProfile(t *testing.T, a *actor) {
	t.Helper()
	must(t, f.deps.Profiles.Save(context.Background(), profiles.Profile{UserID: a.user.ID, Phone: "07700 900982",
		Address: "1 Fen Road, Wisbech", Postcode: "PE13 1AA", RightToWork: "citizen",
		Statement:   "I have cared for older people for six years.",
		WorkHistory: []profiles.Job{{Employer: "Fenland Care Home", Role: "Senior carer", From: "2019-04", Duties: "Medication rounds"}},
		References: []profiles.Referee{{Name: "Rosa Referee", Relationship: "Line manager", Email: "rosa@example.org"},
			{Name: "Sam Second", Relationship: "Tutor", Email: "sam@example.org"}}}))
}

// givePassport records a DBS check with a scanned certificate.
func (f *fixture) givePassport(t *testing.T, a *actor) (evidenceID int64) {
	t.Helper()
	ctx := context.Background()
	item, err := f.deps.Profiles.AddItem(ctx, a.user.ID, profiles.PassportItem{Kind: profiles.DBS,
		Title: "Enhanced with barred lists", Provider: "DBS", Reference: "001234567890", CompletedOn: time.Now().AddDate(-1, 0, 0)})
	must(t, err)
	var img bytes.Buffer
	must(t, png.Encode(&img, image.NewGray(image.Rect(0, 0, 20, 20))))
	e, err := f.deps.Profiles.AddEvidence(ctx, a.user.ID, item, "dbs-certificate.png", img.Bytes())
	must(t, err)
	return e.ID
}

// applied sends an application through the form and returns its id.
func (a *actor) applied(v vacancies.Vacancy, form url.Values) int64 {
	a.t.Helper()
	r := a.post("/jobs/"+itoa(v.ID)+"/application", form)
	if r.status != http.StatusSeeOther {
		a.t.Fatalf("apply for %s: status %d\n%s", v.Title, r.status, excerpt(r.body))
	}
	list, err := a.f.deps.Applications.ListForUser(context.Background(), a.user.ID)
	must(a.t, err)
	for _, app := range list {
		if app.VacancyID == v.ID {
			return app.ID
		}
	}
	a.t.Fatalf("no application for %s after applying", v.Title)
	return 0
}

var candidateRef = regexp.MustCompile(`Candidate A-[0-9]{6}`)

func TestApply_JobseekerAppliesWithTheirProfileAndHearsOfEachStatus(t *testing.T) {
	f := setUp(t, "")
	job := f.portalJob(t, f.trust, "Staff nurse, older people")
	admin := f.account(t, "padmin.apply1@example.org", accounts.Jobseeker, &f.trust, accounts.PartnerAdmin).signIn()
	if r := admin.post("/recruiter/fen-valley-trust/questions", url.Values{"questions": {"Can you work nights?\r\n\r\nDo you drive?"}}); r.status != http.StatusSeeOther {
		t.Fatalf("save questions: %d\n%s", r.status, excerpt(r.body))
	}
	qs, err := f.deps.Applications.Questions(context.Background(), f.trust.ID)
	must(t, err)
	if len(qs) != 2 {
		t.Fatalf("questions %+v", qs)
	}

	advert := f.get(t, job.Path())
	mustContain(t, advert, `href="/jobs/`+itoa(job.ID)+`/application">Apply with your profile`)
	path := "/jobs/" + itoa(job.ID) + "/application"
	if r := f.anonymous(t).get(path); !sentToSignIn(r) || !strings.Contains(r.header.Get("Location"), url.QueryEscape(path)) {
		t.Errorf("a visitor is not sent to sign in and back: %d %q", r.status, r.header.Get("Location"))
	}

	ada := f.account(t, "ada.apply1@example.org", accounts.Jobseeker, nil, "").signIn()
	r := ada.get(path)
	mustContain(t, r, "Your profile is not complete", "a telephone number", "two referees", `href="/account/profile"`)
	if strings.Contains(r.body, "Send application") {
		t.Error("the form offers to send with an incomplete profile")
	}
	if r := ada.post(path, url.Values{"statement": {"Please"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("applying with an incomplete profile: status %d", r.status)
	}

	f.completeProfile(t, ada)
	r = ada.get(path)
	mustContain(t, r, "Send application", "07700 900982", "Senior carer, Fenland Care Home, April 2019 to now",
		"Can you work nights?", "You have nothing in your staff passport to share")
	if strings.Contains(r.body, " checked") {
		t.Error("something is ticked before the jobseeker chose it")
	}
	r = ada.post(path, url.Values{"statement": {"I love nights."}, applications.AnswerField(qs[0].ID): {"Yes"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("without every answer: status %d", r.status)
	}
	mustContain(t, r, "There is a problem", `href="#`+applications.AnswerField(qs[1].ID)+`"`, "I love nights.")

	form := url.Values{"statement": {"I love nights."}, applications.AnswerField(qs[0].ID): {"Yes"},
		applications.AnswerField(qs[1].ID): {"Yes, I have a car"}}
	id := ada.applied(job, form)
	r = ada.get(path)
	mustContain(t, r, "Application sent", `href="/account/applications/`+itoa(id)+`"`)
	receipt := f.mail.WaitFor(t, ada.user.Email, "Your application for Staff nurse, older people")
	if !strings.Contains(receipt.Text, "/account/applications/"+itoa(id)) {
		t.Errorf("receipt has no link to the application:\n%s", receipt.Text)
	}
	if r := ada.post(path, form); r.status != http.StatusSeeOther {
		t.Errorf("a second application: status %d", r.status)
	}
	if list, _ := f.deps.Applications.ListForUser(context.Background(), ada.user.ID); len(list) != 1 {
		t.Errorf("%d applications after sending twice, want 1", len(list))
	}
	mustContain(t, ada.get("/account/applications"), "Staff nurse, older people", "Submitted")

	rec := f.account(t, "rec.apply1@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	mustContain(t, rec.get("/recruiter/fen-valley-trust"), `/applications?vacancy=`+itoa(job.ID)+`">1 application<`)
	list := rec.get("/recruiter/fen-valley-trust/applications")
	mustContain(t, list, applications.CandidateRef(id), "Submitted (1)")
	one := rec.get("/recruiter/fen-valley-trust/applications/" + itoa(id))
	mustContain(t, one, applications.CandidateRef(id), "Hidden until shortlisted", "I love nights.", "Yes, I have a car",
		"The applicant did not share their staff passport")
	for _, secret := range []string{"ada.apply1", "07700 900982", "Rosa Referee", "1 Fen Road"} {
		if strings.Contains(list.body+one.body, secret) {
			t.Errorf("the recruiter sees %q before shortlisting", secret)
		}
	}

	for _, step := range []struct{ status, label, note string }{
		{applications.UnderReview, "Under review", ""},
		{applications.Shortlisted, "Shortlisted", "We will ring you to arrange an interview."},
	} {
		r := rec.post("/recruiter/fen-valley-trust/applications/"+itoa(id)+"/status", url.Values{"status": {step.status}, "note": {step.note}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("move to %s: status %d\n%s", step.status, r.status, excerpt(r.body))
		}
		m := f.mail.WaitFor(t, ada.user.Email, "Your application for Staff nurse, older people: "+step.label)
		if !strings.Contains(m.Text, "/account/applications/"+itoa(id)) || !strings.Contains(m.Text, "Test fen-valley-trust") ||
			(step.note != "" && !strings.Contains(m.Text, step.note)) {
			t.Errorf("the %s mail lacks the link, the employer or the note:\n%s", step.label, m.Text)
		}
	}
	mustContain(t, rec.get("/recruiter/fen-valley-trust/applications/"+itoa(id)), "ada.apply1", "07700 900982", "Rosa Referee")
	mine := ada.get("/account/applications/" + itoa(id))
	mustContain(t, mine, "Submitted", "Under review", "Shortlisted", "We will ring you to arrange an interview.", "Withdraw application")
}

func TestApplications_AnotherPartnerOrApplicantGetsNotFound(t *testing.T) {
	f := setUp(t, "")
	jobA := f.portalJob(t, f.trust, "Theatre practitioner")
	f.portalJob(t, f.care, "Care worker")
	ada := f.account(t, "ada.apply2@example.org", accounts.Jobseeker, nil, "").signIn()
	f.completeProfile(t, ada)
	id := ada.applied(jobA, url.Values{"statement": {"Theatres are my home."}})

	recB := f.account(t, "rec.b.apply2@example.org", accounts.Jobseeker, &f.care, accounts.Recruiter).signIn()
	b := "/recruiter/willow-care"
	for _, tc := range []struct{ method, path string }{
		{"GET", b + "/applications/" + itoa(id)},
		{"POST", b + "/applications/" + itoa(id) + "/status"},
		{"GET", b + "/vacancies/" + itoa(jobA.ID) + "/applications.csv"},
	} {
		var r response
		if tc.method == "GET" {
			r = recB.get(tc.path)
		} else {
			r = recB.post(tc.path, url.Values{"status": {applications.Shortlisted}})
		}
		if r.status != http.StatusNotFound || strings.Contains(r.body, "Theatres are my home.") {
			t.Errorf("%s %s as recruiter of B: status %d, want 404 showing nothing", tc.method, tc.path, r.status)
		}
	}
	if r := recB.get(b + "/applications?vacancy=" + itoa(jobA.ID)); strings.Contains(r.body, applications.CandidateRef(id)) {
		t.Error("B's list shows A's application")
	}
	a := "/recruiter/fen-valley-trust"
	for _, path := range []string{a + "/applications", a + "/applications/" + itoa(id), a + "/vacancies/" + itoa(jobA.ID) + "/applications.csv"} {
		if r := recB.get(path); r.status != http.StatusForbidden {
			t.Errorf("GET %s as recruiter of B: status %d, want 403", path, r.status)
		}
	}

	other := f.account(t, "other.apply2@example.org", accounts.Jobseeker, nil, "").signIn()
	if r := other.get("/account/applications/" + itoa(id)); r.status != http.StatusNotFound || strings.Contains(r.body, "Theatres") {
		t.Errorf("another jobseeker reads it: status %d", r.status)
	}
	if r := other.post("/account/applications/"+itoa(id)+"/withdraw", nil); r.status != http.StatusNotFound {
		t.Errorf("another jobseeker withdraws it: status %d", r.status)
	}
	if r := other.get("/account/applications"); strings.Contains(r.body, "Theatre practitioner") {
		t.Error("another jobseeker's list shows it")
	}
	got, err := f.deps.Applications.GetForUser(context.Background(), ada.user.ID, id)
	must(t, err)
	if got.Status != applications.Submitted || len(got.Events) != 1 {
		t.Errorf("the application changed: %s, %d events", got.Status, len(got.Events))
	}
}

func TestApplications_PassportGoesOnlyWithConsentAndShowsFullyOnlyAfterShortlisting(t *testing.T) {
	f := setUp(t, "")
	ada := f.account(t, "ada.apply3@example.org", accounts.Jobseeker, nil, "").signIn()
	f.completeProfile(t, ada)
	evidence := f.givePassport(t, ada)
	first := f.portalJob(t, f.trust, "Role without passport")
	r := ada.get("/jobs/" + itoa(first.ID) + "/application")
	mustContain(t, r, `name="share_passport" type="checkbox" value="yes">`, "Yes, share my staff passport with Test fen-valley-trust")
	without := ada.applied(first, url.Values{"statement": {"One."}})
	with := ada.applied(f.portalJob(t, f.trust, "Role with passport"), url.Values{"statement": {"Two."}, "share_passport": {"yes"}})

	rec := f.account(t, "rec.apply3@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	base := "/recruiter/fen-valley-trust/applications/"
	r = rec.get(base + itoa(without))
	mustContain(t, r, "The applicant did not share their staff passport")
	if strings.Contains(r.body, "Enhanced with barred lists") {
		t.Error("the passport shows without consent")
	}
	evidenceLink := `href="/recruiter/fen-valley-trust/evidence/` + itoa(evidence) + `"`
	r = rec.get(base + itoa(with))
	mustContain(t, r, "DBS check: Enhanced with barred lists", "Certificate numbers and evidence files show once you shortlist")
	if strings.Contains(r.body, "001234567890") || strings.Contains(r.body, evidenceLink) {
		t.Error("the certificate number or evidence shows before shortlisting")
	}
	if r := rec.post(base+itoa(with)+"/status", url.Values{"status": {applications.Shortlisted}}); r.status != http.StatusSeeOther {
		t.Fatalf("shortlist: %d", r.status)
	}
	mustContain(t, rec.get(base+itoa(with)), "Certificate number 001234567890", evidenceLink, "dbs-certificate")
}

func TestApplications_WithdrawingTellsTheApplicantAndEndsTheApplication(t *testing.T) {
	f := setUp(t, "")
	ada := f.account(t, "ada.apply4@example.org", accounts.Jobseeker, nil, "").signIn()
	f.completeProfile(t, ada)
	id := ada.applied(f.portalJob(t, f.care, "Senior carer"), url.Values{"statement": {"I care."}})
	r := ada.post("/account/applications/"+itoa(id)+"/withdraw", nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", r.status)
	}
	f.mail.WaitFor(t, ada.user.Email, "Your application for Senior carer: Withdrawn")
	page := ada.get("/account/applications/" + itoa(id))
	mustContain(t, page, "You have withdrawn your application", "Withdrawn", "by you")
	if strings.Contains(page.body, "Withdraw application") {
		t.Error("a withdrawn application offers to withdraw again")
	}
	if r := ada.post("/account/applications/"+itoa(id)+"/withdraw", nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("withdrawing twice: status %d", r.status)
	}

	rec := f.account(t, "rec.apply4@example.org", accounts.Jobseeker, &f.care, accounts.Recruiter).signIn()
	base := "/recruiter/willow-care/applications/" + itoa(id)
	mustContain(t, rec.get(base), "its status cannot change any more")
	r = rec.post(base+"/status", url.Values{"status": {applications.Shortlisted}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "cannot change any more") {
		t.Errorf("moving a withdrawn application: status %d", r.status)
	}
	if n := f.mail.Count(t, ada.user.Email); n != 2 {
		t.Errorf("%d mails to the applicant, want the receipt and the withdrawal", n)
	}
}

func TestApplications_CSVExportDefusesFormulasAndHidesNames(t *testing.T) {
	f := setUp(t, "")
	job := f.portalJob(t, f.trust, "Ward clerk")
	eve := f.account(t, "eve.apply5@example.org", accounts.Jobseeker, nil, "").signIn()
	f.completeProfile(t, eve)
	id := eve.applied(job, url.Values{"statement": {`=HYPERLINK("https://evil.example","Click")`}})

	rec := f.account(t, "rec.apply5@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	r := rec.get("/recruiter/fen-valley-trust/vacancies/" + itoa(job.ID) + "/applications.csv")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %s %s", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
	}
	records, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	must(t, err)
	if len(records) != 2 {
		t.Fatalf("%d rows, want a header and one", len(records))
	}
	for i, cell := range records[1] {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
			t.Errorf("column %q starts a formula: %q", records[0][i], cell)
		}
	}
	row := strings.Join(records[1], "|")
	if !strings.Contains(row, applications.CandidateRef(id)) || !strings.Contains(row, `'=HYPERLINK(`) ||
		strings.Contains(row, "eve.apply5") || strings.Contains(row, "07700") {
		t.Errorf("row %q: want the candidate reference and the defused statement, no name or contacts", row)
	}
}

func TestVacancyPage_ExternalApplyIsCountedOnTheWayOut(t *testing.T) {
	f := setUp(t, "")
	v := f.save(t, vt.New(f.care, vt.Title("Cook")))[0]
	r := f.get(t, v.Path())
	mustContain(t, r, `href="/jobs/`+itoa(v.ID)+`/apply"`, "Apply on Test willow-care")
	if strings.Contains(r.body, "/application\"") {
		t.Error("an external job offers the portal form")
	}
	for range 2 {
		if r := f.get(t, "/jobs/"+itoa(v.ID)+"/apply"); r.status != http.StatusSeeOther || r.header.Get("Location") != v.ApplyURL {
			t.Fatalf("apply link: %d to %q", r.status, r.header.Get("Location"))
		}
	}
	var clicks int
	must(t, f.deps.Pool.QueryRow(context.Background(), `SELECT coalesce(sum(count), 0) FROM apply_clicks WHERE vacancy_id = $1`, v.ID).Scan(&clicks))
	if clicks != 2 {
		t.Errorf("%d clicks counted, want 2", clicks)
	}
	portal := f.portalJob(t, f.care, "Carer")
	if r := f.get(t, "/jobs/"+itoa(portal.ID)+"/apply"); r.header.Get("Location") != "/jobs/"+itoa(portal.ID)+"/application" {
		t.Errorf("the counted link of a portal job goes to %q", r.header.Get("Location"))
	}
	// Followed from a campaign, the portal button goes through the counted link too.
	mustContain(t, f.get(t, portal.Path()+"?campaign=fens-care"), `href="/jobs/`+itoa(portal.ID)+`/apply?campaign=fens-care">Apply with your profile`)
	must(t, f.deps.Pool.QueryRow(context.Background(), `SELECT coalesce(sum(count), 0) FROM apply_clicks WHERE vacancy_id = $1`, portal.ID).Scan(&clicks))
	if clicks != 0 {
		t.Errorf("%d link-outs counted for a job applied for here", clicks)
	}
}

func TestRecruiter_PostsAJobThatPeopleApplyForHere(t *testing.T) {
	f := setUp(t, "")
	rec := f.account(t, "rec.apply7@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	mustContain(t, rec.get("/recruiter/fen-valley-trust/vacancies/new"), "How do people apply?", `value="portal"`,
		`value="external" checked`)
	form := jobForm("publish")
	form.Set("apply_method", "external")
	form.Set("apply_url", "")
	if r := rec.post("/recruiter/fen-valley-trust/vacancies/new", form); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `href="#apply_url"`) {
		t.Errorf("applying on their website without a web address: status %d", r.status)
	}
	form.Set("apply_method", "portal")
	r := rec.post("/recruiter/fen-valley-trust/vacancies/new", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", r.status, excerpt(r.body))
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(r.header.Get("Location"), "/recruiter/fen-valley-trust/vacancies/"), 10, 64)
	must(t, err)
	v, err := f.vacancies.Get(context.Background(), id)
	must(t, err)
	if !v.AppliesOnPortal() {
		t.Fatalf("saved with apply method %q", v.ApplyMethod)
	}
	mustContain(t, rec.get("/recruiter/fen-valley-trust/vacancies/"+itoa(id)), "On this website, with their profile",
		`href="/recruiter/fen-valley-trust/applications?vacancy=`+itoa(id)+`"`)
	mustContain(t, rec.get("/recruiter/fen-valley-trust/vacancies/"+itoa(id)+"/edit"), `value="portal" checked`)
	mustContain(t, f.get(t, v.Path()), "Apply with your profile")
}
