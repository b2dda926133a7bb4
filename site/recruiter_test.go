package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// jobForm is a filled-in vacancy form a recruiter would send.
func jobForm(action string) url.Values {
	closing := time.Now().AddDate(0, 1, 0)
	return url.Values{
		"action": {action}, "title": {"Community Staff Nurse"}, "staff_group": {"nursing-midwifery"},
		"locations": {"Wisbech\nDoddington Hospital, PE15 0UG"}, "band": {"5"}, "contract": {"permanent"},
		"patterns": {"full-time", "flexible"}, "hours": {"37.5"},
		"closing_on-day": {itoaInt(closing.Day())}, "closing_on-month": {itoaInt(int(closing.Month()))}, "closing_on-year": {itoaInt(closing.Year())},
		"description": {"Join our **community nursing** team in the Fens.\n\n<script>alert(1)</script>\n\n- Car provided"},
		"apply_url":   {"https://fen-valley.example/apply/123"}, "passport_accepted": {"yes"},
	}
}

func itoaInt(n int) string { return itoa(int64(n)) }

// drainOutbox does what the search workers do with the sync jobs writes
// enqueued: it proves the write went through the outbox and brings search
// in line.
func (f *fixture) drainOutbox(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	vacancyIDs, pageIDs := f.takeJobs(t, "search_sync_vacancies"), f.takeJobs(t, "search_sync_pages")
	if len(vacancyIDs)+len(pageIDs) == 0 {
		t.Fatal("the change enqueued no search sync")
	}
	if len(vacancyIDs) > 0 {
		must(t, f.syncer.Sync(ctx, vacancyIDs))
	}
	if len(pageIDs) > 0 {
		must(t, f.pageSyncer.SyncPages(ctx, pageIDs))
	}
}

// takeJobs removes the queued jobs of a kind and returns their ids.
func (f *fixture) takeJobs(t *testing.T, kind string) []int64 {
	rows, err := f.deps.Pool.Query(context.Background(), `DELETE FROM river_job WHERE kind = $1 RETURNING args`, kind)
	must(t, err)
	var ids []int64
	for rows.Next() {
		var raw []byte
		must(t, rows.Scan(&raw))
		var args struct{ IDs []int64 }
		must(t, json.Unmarshal(raw, &args))
		ids = append(ids, args.IDs...)
	}
	must(t, rows.Err())
	return ids
}

func TestRecruiter_PostsAJobFixesAMistakePreviewsAndPublishesIt(t *testing.T) {
	f := setUp(t, "")
	rec := f.account(t, "rec@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	form := jobForm("publish")
	form.Set("title", "")
	form.Set("locations", "Wisbech\nAtlantis")
	r := rec.post("/recruiter/fen-valley-trust/vacancies/new", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("with mistakes: status %d", r.status)
	}
	mustContain(t, r, "There is a problem", `href="#title"`, `We could not find &#34;Atlantis&#34;`,
		// What was typed is still there.
		"Wisbech\nAtlantis", `value="37.5"`, `value="flexible" checked`, "community nursing")

	form = jobForm("preview")
	r = rec.post("/recruiter/fen-valley-trust/vacancies/new", form)
	mustContain(t, r, "Preview", "<strong>community nursing</strong>", "Staff passport accepted", "Doddington Hospital")
	if strings.Contains(r.body, "<script>alert(1)") {
		t.Error("the preview runs script from the description")
	}
	if n := countVacancies(t, &matrix{f: f}, f.trust.ID); n != 0 {
		t.Errorf("a preview saved %d vacancies", n)
	}

	r = rec.post("/recruiter/fen-valley-trust/vacancies/new", jobForm("publish"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish: status %d\n%s", r.status, excerpt(r.body))
	}
	f.drainOutbox(t)
	mustContain(t, f.get(t, "/jobs?q=community+nurse&location=Wisbech"), "1 job for", "<mark>Community</mark> Staff <mark>Nurse</mark>")
	mustContain(t, rec.get(r.header.Get("Location")), "The job is live", "Live")
}

func TestRecruiter_ClosingEarlyTakesTheJobOutOfSearch(t *testing.T) {
	f := setUp(t, "")
	rec := f.account(t, "rec@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	v := f.save(t, vt.New(f.trust, vt.Title("Ward clerk")))[0]
	mustContain(t, f.get(t, "/jobs?q=ward+clerk"), v.Path())
	r := rec.post("/recruiter/fen-valley-trust/vacancies/"+itoa(v.ID)+"/close", nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("close: status %d\n%s", r.status, excerpt(r.body))
	}
	f.drainOutbox(t)
	if strings.Contains(f.get(t, "/jobs?q=ward+clerk").body, v.Path()) {
		t.Error("a closed job is still in search")
	}
	mustContain(t, f.get(t, v.Path()), "This job has closed")
}

func TestRecruiter_SchedulesAJobForLater(t *testing.T) {
	f := setUp(t, "")
	rec := f.account(t, "rec@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	form := jobForm("schedule")
	past := time.Now().AddDate(0, 0, -1)
	form.Set("publish_at-day", itoaInt(past.Day()))
	form.Set("publish_at-month", itoaInt(int(past.Month())))
	form.Set("publish_at-year", itoaInt(past.Year()))
	r := rec.post("/recruiter/fen-valley-trust/vacancies/new", form)
	mustContain(t, r, "The date and time to publish must be in the future")
	soon := time.Now().AddDate(0, 0, 2)
	form.Set("publish_at-day", itoaInt(soon.Day()))
	form.Set("publish_at-month", itoaInt(int(soon.Month())))
	form.Set("publish_at-year", itoaInt(soon.Year()))
	form.Set("publish_time", "08:30")
	r = rec.post("/recruiter/fen-valley-trust/vacancies/new", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("schedule: status %d\n%s", r.status, excerpt(r.body))
	}
	page := rec.get(r.header.Get("Location"))
	mustContain(t, page, "Scheduled", "at 08:30", "Not public yet")
	list, _, err := f.vacancies.List(context.Background(), vacancies.ListFilter{PartnerID: f.trust.ID, Page: 1, PerPage: 5})
	must(t, err)
	if r := f.get(t, list[0].Path()); r.status != http.StatusNotFound {
		t.Errorf("a scheduled job is public: status %d", r.status)
	}
}

func TestRecruiter_FeedJobsAreReadOnly(t *testing.T) {
	f := setUp(t, "")
	m := &matrix{f: f}
	rec := f.account(t, "rec@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	v := f.save(t, vt.New(f.trust, vt.Title("Imported porter")))[0]
	ctx := context.Background()
	var feedID int64
	must(t, f.deps.Pool.QueryRow(ctx, `INSERT INTO feeds (partner_id, url, format) VALUES ($1, 'https://x.example/f.xml', 'indeed') RETURNING id`, f.trust.ID).Scan(&feedID))
	_, err := f.deps.Pool.Exec(ctx, `INSERT INTO vacancy_sources (vacancy_id, feed_id, reference, seen_run) VALUES ($1, $2, 'R1', 1)`, v.ID, feedID)
	must(t, err)
	base := "/recruiter/fen-valley-trust/vacancies/" + itoa(v.ID)
	mustContain(t, rec.get(base), "comes from", "cannot be changed here")
	for _, path := range []string{base + "/edit"} {
		if r := rec.get(path); r.status != http.StatusConflict {
			t.Errorf("GET %s: status %d, want 409", path, r.status)
		}
	}
	if r := rec.post(base+"/edit", jobForm("publish")); r.status != http.StatusConflict {
		t.Errorf("editing a feed job: status %d, want 409", r.status)
	}
	// Duplicating gives an editable draft copy.
	r := rec.post(base+"/duplicate", nil)
	if r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "/edit") {
		t.Fatalf("duplicate: status %d to %q", r.status, r.header.Get("Location"))
	}
	mustContain(t, rec.get(r.header.Get("Location")), `value="Imported porter"`)
	if n := countVacancies(t, m, f.trust.ID); n != 2 {
		t.Errorf("%d vacancies after duplicating, want 2", n)
	}
}

func TestRecruiter_ExtendsTheClosingDate(t *testing.T) {
	f := setUp(t, "")
	rec := f.account(t, "rec@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	v := f.save(t, vt.New(f.trust))[0]
	base := "/recruiter/fen-valley-trust/vacancies/" + itoa(v.ID)
	r := rec.post(base+"/extend", url.Values{"closing_on-day": {"31"}, "closing_on-month": {"2"}, "closing_on-year": {"2030"}})
	mustContain(t, r, "must be a real date")
	later := v.ClosingOn.AddDate(0, 0, 14)
	r = rec.post(base+"/extend", url.Values{"closing_on-day": {itoaInt(later.Day())}, "closing_on-month": {itoaInt(int(later.Month()))}, "closing_on-year": {itoaInt(later.Year())}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("extend: status %d\n%s", r.status, excerpt(r.body))
	}
	got, err := f.vacancies.Get(context.Background(), v.ID)
	must(t, err)
	if !got.ClosingOn.Equal(vacancies.Date(later)) {
		t.Errorf("closing date %s, want %s", got.ClosingOn, later)
	}
}

func TestPartnerAdmin_UploadsALogoShownOnTheEmployerPage(t *testing.T) {
	f := setUp(t, "")
	admin := f.account(t, "pa@example.org", accounts.Jobseeker, &f.trust, accounts.PartnerAdmin).signIn()
	img := image.NewRGBA(image.Rect(0, 0, 800, 300))
	for x := range 800 {
		img.Set(x, 10, color.RGBA{0, 94, 184, 255})
	}
	var buf bytes.Buffer
	must(t, png.Encode(&buf, img))
	if r := admin.upload("/recruiter/fen-valley-trust/profile/logo", "logo", "logo.png", []byte("<svg onload=alert(1)>")); r.status != http.StatusUnprocessableEntity {
		t.Errorf("an SVG uploaded as .png: status %d", r.status)
	} else {
		mustContain(t, r, "There is a problem", "PNG, JPEG or GIF")
	}
	if r := admin.upload("/recruiter/fen-valley-trust/profile/logo", "logo", "logo.png", buf.Bytes()); r.status != http.StatusSeeOther {
		t.Fatalf("upload: status %d\n%s", r.status, excerpt(r.body))
	}
	mustContain(t, f.get(t, "/employers/fen-valley-trust"), `src="/employers/fen-valley-trust/logo.png"`)
	logo := f.get(t, "/employers/fen-valley-trust/logo.png")
	if logo.header.Get("Content-Type") != "image/png" {
		t.Fatalf("logo content type %q", logo.header.Get("Content-Type"))
	}
	cfg, err := png.DecodeConfig(strings.NewReader(logo.body))
	must(t, err)
	if cfg.Width > 400 || cfg.Height > 200 {
		t.Errorf("logo served at %dx%d, want it within 400x200", cfg.Width, cfg.Height)
	}
}

func TestPartnerAdmin_InvitesARecruiterWhoJoinsByTheLink(t *testing.T) {
	f := setUp(t, "")
	admin := f.account(t, "pa@example.org", accounts.Jobseeker, &f.trust, accounts.PartnerAdmin).signIn()
	r := admin.post("/recruiter/fen-valley-trust/team/invite", url.Values{"email": {"newbie@example.org"}, "role": {"recruiter"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("invite: status %d\n%s", r.status, excerpt(r.body))
	}
	link := linkTo(t, f.mail.WaitFor(t, "newbie@example.org", "").Text, "/account/invitation")
	newbie := f.account(t, "newbie@example.org", accounts.Jobseeker, nil, "").signIn()
	if r := newbie.get("/recruiter/fen-valley-trust"); r.status != http.StatusForbidden {
		t.Fatalf("before accepting: status %d", r.status)
	}
	mustContain(t, newbie.get(link), "Accept the invitation")
	token := strings.SplitN(link, "token=", 2)[1]
	r = newbie.post("/account/invitation", url.Values{"token": {token}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("accept: status %d\n%s", r.status, excerpt(r.body))
	}
	mustContain(t, newbie.get("/recruiter/fen-valley-trust"), "Vacancies", "Post a job")
	mustContain(t, admin.get("/recruiter/fen-valley-trust/team"), "newbie@example.org")
	// A plain recruiter cannot invite.
	if r := newbie.post("/recruiter/fen-valley-trust/team/invite", url.Values{"email": {"x@example.org"}, "role": {"partner-admin"}}); r.status != http.StatusForbidden {
		t.Errorf("recruiter inviting: status %d", r.status)
	}
}

// upload posts one file in a multipart form with the CSRF token.
func (a *actor) upload(path, field, name string, data []byte) response {
	a.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	must(a.t, w.WriteField("_csrf", a.csrfToken()))
	part, err := w.CreateFormFile(field, name)
	must(a.t, err)
	_, err = part.Write(data)
	must(a.t, err)
	must(a.t, w.Close())
	return a.do(http.MethodPost, path, &body, w.FormDataContentType())
}
