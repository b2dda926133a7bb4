package applications_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/profiles"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

type fixture struct {
	pool        *pgxpool.Pool
	vacancies   *vacancies.Store
	accounts    *accounts.Store
	profiles    *profiles.Store
	apps        *applications.Store
	trust, care partners.Partner
	recruiterID int64
}

func setUp(t *testing.T) *fixture {
	t.Helper()
	pool, ps, vs := vt.Stores(t)
	f := &fixture{pool: pool, vacancies: vs, accounts: accounts.NewStore(pool), profiles: profiles.NewStore(pool),
		apps: applications.NewStore(pool, applications.Mailer{})}
	f.trust = vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	f.care = vt.Partner(t, ps, "willow-care", partners.CareProvider)
	f.recruiterID = vt.User(t, pool)
	return f
}

// portalJob publishes a job of p that people apply for on the portal.
func (f *fixture) portalJob(t *testing.T, p partners.Partner, title string) vacancies.Vacancy {
	t.Helper()
	v := vt.New(p, vt.Title(title), func(v *vacancies.Vacancy) { v.ApplyMethod, v.ApplyURL = vacancies.ApplyPortal, "" })
	id, err := f.vacancies.Create(context.Background(), p.ID, f.recruiterID, v, vacancies.Action{Kind: vacancies.ActionPublish})
	must(t, err)
	v, err = f.vacancies.Get(context.Background(), id)
	must(t, err)
	if !v.AppliesOnPortal() || v.ApplyURL != "" {
		t.Fatalf("saved job applies by %q at %q, want the portal and no web address", v.ApplyMethod, v.ApplyURL)
	}
	return v
}

var people atomic.Int64

// jobseeker creates an account with a complete profile.
func (f *fixture) jobseeker(t *testing.T, name string) int64 {
	t.Helper()
	ctx := context.Background()
	email := fmt.Sprintf("%s%d@example.org", strings.ToLower(strings.Fields(name)[0]), people.Add(1))
	u, err := f.accounts.SignUp(ctx, email, name, "plum orchard lantern 42")
	must(t, err)
	must(t, f.profiles.Save(ctx, profiles.Profile{UserID: u.ID, Phone: "07700 900982", Address: "1 Fen Road, Wisbech",
		Postcode: "PE13 1AA", RightToWork: "citizen", RegistrationBody: "NMC", RegistrationNumber: "12A3456B",
		Statement:   "I have cared for older people for six years.",
		WorkHistory: []profiles.Job{{Employer: "Fenland Care Home", Role: "Senior carer", From: "2019-04", Duties: "Medication rounds"}},
		References: []profiles.Referee{{Name: "Rosa Referee", Relationship: "Line manager", Email: "rosa@example.org"},
			{Name: "Sam Second", Relationship: "Tutor", Email: "sam@example.org"}}}))
	return u.ID
}

// passport gives the user a DBS check with a scanned certificate.
func (f *fixture) passport(t *testing.T, userID int64) (itemID, evidenceID int64) {
	t.Helper()
	ctx := context.Background()
	itemID, err := f.profiles.AddItem(ctx, userID, profiles.PassportItem{Kind: profiles.DBS, Title: "Enhanced with barred lists",
		Provider: "DBS", Reference: "001234567890", CompletedOn: time.Now().AddDate(-1, 0, 0)})
	must(t, err)
	var img bytes.Buffer
	must(t, png.Encode(&img, image.NewGray(image.Rect(0, 0, 20, 20))))
	e, err := f.profiles.AddEvidence(ctx, userID, itemID, "dbs-certificate.png", img.Bytes())
	must(t, err)
	return itemID, e.ID
}

func (f *fixture) apply(t *testing.T, userID int64, v vacancies.Vacancy, share bool) int64 {
	t.Helper()
	id, err := f.apps.Apply(context.Background(), userID, v.ID, "I want to work on this ward.", nil, share)
	must(t, err)
	return id
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func fieldErrors(t *testing.T, err error) applications.ValidationError {
	t.Helper()
	var verr applications.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("got %v, want a ValidationError", err)
	}
	return verr
}

func TestApply_NeedsACompleteProfileAStatementAndEveryAnswer(t *testing.T) {
	f := setUp(t)
	ctx := context.Background()
	job := f.portalJob(t, f.trust, "Staff nurse")
	must(t, f.apps.SetQuestions(ctx, f.trust.ID, []string{"Can you work nights?", "", "Do you drive?"}))
	qs, err := f.apps.Questions(ctx, f.trust.ID)
	must(t, err)
	if len(qs) != 2 || qs[1].Text != "Do you drive?" {
		t.Fatalf("questions %+v, want the two non-blank ones in order", qs)
	}

	u, err := f.accounts.SignUp(ctx, "new@example.org", "New Person", "plum orchard lantern 42")
	must(t, err)
	_, err = f.apps.Apply(ctx, u.ID, job.ID, "", []applications.Answer{{QuestionID: qs[0].ID, Answer: "Yes"}}, false)
	errs := fieldErrors(t, err)
	for _, field := range []string{"profile", "statement", applications.AnswerField(qs[1].ID)} {
		if errs[field] == "" {
			t.Errorf("no error on %s: %v", field, errs)
		}
	}
	if !strings.Contains(errs["profile"], "a telephone number") || !strings.Contains(errs["profile"], "two referees") {
		t.Errorf("the profile error does not say what is missing: %q", errs["profile"])
	}
	if _, ok := errs[applications.AnswerField(qs[0].ID)]; ok {
		t.Errorf("the answered question has an error: %v", errs)
	}

	ready := f.jobseeker(t, "Ada Nurse")
	id, err := f.apps.Apply(ctx, ready, job.ID, "Six years on elderly care wards.",
		[]applications.Answer{{QuestionID: qs[1].ID, Answer: "Yes, I have a car"}, {QuestionID: qs[0].ID, Answer: "Yes"}}, false)
	must(t, err)
	a, err := f.apps.GetForUser(ctx, ready, id)
	must(t, err)
	if a.Status != applications.Submitted || a.Statement != "Six years on elderly care wards." || a.Profile.Phone != "07700 900982" {
		t.Errorf("application %+v", a)
	}
	if len(a.Answers) != 2 || a.Answers[0].Question != "Can you work nights?" || a.Answers[1].Answer != "Yes, I have a car" {
		t.Errorf("answers %+v, want both, in question order, with the questions' words", a.Answers)
	}
	if len(a.Events) != 1 || a.Events[0].Status != applications.Submitted || !a.Events[0].ByApplicant {
		t.Errorf("history %+v, want the submission", a.Events)
	}

	// Editing the questions later changes nothing already sent.
	must(t, f.apps.SetQuestions(ctx, f.trust.ID, []string{"Do you drive?", "Why us?"}))
	again, err := f.apps.Questions(ctx, f.trust.ID)
	must(t, err)
	if len(again) != 2 || again[0].ID != qs[1].ID {
		t.Errorf("questions %+v: a kept question should keep its id %d", again, qs[1].ID)
	}
	a, err = f.apps.GetForUser(ctx, ready, id)
	must(t, err)
	if a.Answers[0].Question != "Can you work nights?" {
		t.Errorf("answers changed with the questions: %+v", a.Answers)
	}
}

func TestApply_RefusesASecondApplicationToTheSameJob(t *testing.T) {
	f := setUp(t)
	job := f.portalJob(t, f.trust, "Porter")
	user := f.jobseeker(t, "Paul Porter")
	f.apply(t, user, job, false)
	_, err := f.apps.Apply(context.Background(), user, job.ID, "Again", nil, false)
	if errs := fieldErrors(t, err); !strings.Contains(errs["application"], "already applied") {
		t.Errorf("errors %v", errs)
	}
	list, err := f.apps.ListForUser(context.Background(), user)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("%d applications, want 1", len(list))
	}
}

func TestApply_OnlyForOpenJobsThatTakeApplicationsHere(t *testing.T) {
	f := setUp(t)
	ctx := context.Background()
	user := f.jobseeker(t, "Olive Open")
	external := vt.Save(t, f.vacancies, vt.New(f.trust))[0]
	closed := f.portalJob(t, f.trust, "Closed role")
	must(t, f.vacancies.Close(ctx, f.trust.ID, 0, closed.ID))
	inactive := f.portalJob(t, f.care, "Role at a partner that left")
	_, err := f.pool.Exec(ctx, `UPDATE partners SET active = false WHERE id = $1`, f.care.ID)
	must(t, err)
	for name, tc := range map[string]struct {
		id   int64
		want error
	}{
		"external": {external.ID, applications.ErrNotOpen}, "closed": {closed.ID, applications.ErrNotOpen},
		"inactive partner": {inactive.ID, applications.ErrNotFound}, "missing": {987654, applications.ErrNotFound},
	} {
		if _, err := f.apps.Apply(ctx, user, tc.id, "Please", nil, false); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}

func TestApply_CopiesThePassportOnlyWithConsent(t *testing.T) {
	f := setUp(t)
	ctx := context.Background()
	user := f.jobseeker(t, "Dee Bees")
	_, evidenceID := f.passport(t, user)
	without := f.apply(t, user, f.portalJob(t, f.trust, "Role one"), false)
	with := f.apply(t, user, f.portalJob(t, f.trust, "Role two"), true)

	a, err := f.apps.GetForUser(ctx, user, without)
	must(t, err)
	if a.PassportShared || a.Passport != nil {
		t.Errorf("passport in an application without consent: %+v", a.Passport)
	}
	a, err = f.apps.GetForUser(ctx, user, with)
	must(t, err)
	if !a.PassportShared || len(a.Passport) != 1 || a.Passport[0].Reference != "001234567890" ||
		len(a.Passport[0].Evidence) != 1 || a.Passport[0].Evidence[0].ID != evidenceID || a.Passport[0].Evidence[0].Name == "" {
		t.Errorf("passport %+v, want the DBS check with its evidence", a.Passport)
	}
	var shared []bool
	rows, err := f.pool.Query(ctx, `SELECT passport IS NOT NULL FROM applications ORDER BY id`)
	must(t, err)
	for rows.Next() {
		var b bool
		must(t, rows.Scan(&b))
		shared = append(shared, b)
	}
	if fmt.Sprint(shared) != "[false true]" {
		t.Errorf("stored passports %v, want only the second", shared)
	}
}

func TestGetForPartner_HidesWhoTheApplicantIsUntilShortlisted(t *testing.T) {
	f := setUp(t)
	ctx := context.Background()
	user := f.jobseeker(t, "Zara Hidden")
	f.passport(t, user)
	id := f.apply(t, user, f.portalJob(t, f.trust, "Healthcare assistant"), true)

	a, err := f.apps.GetForPartner(ctx, f.trust.ID, id)
	must(t, err)
	if !a.Anonymised || a.Name != "" || a.Email != "" || a.Profile.Phone != "" || a.Profile.Address != "" ||
		a.Profile.Postcode != "" || a.Profile.RegistrationNumber != "" || len(a.Profile.References) != 0 {
		t.Errorf("anonymised view shows who they are: %+v", a)
	}
	if a.Candidate != applications.CandidateRef(id) || !strings.HasPrefix(a.Candidate, "Candidate A-") {
		t.Errorf("candidate reference %q", a.Candidate)
	}
	if len(a.Profile.WorkHistory) != 1 || a.Statement == "" || len(a.Passport) != 1 || a.Passport[0].Reference != "" ||
		a.Passport[0].Evidence != nil {
		t.Errorf("anonymised view should keep experience and checks without certificate numbers: %+v", a)
	}
	list, _, err := f.apps.ListForPartner(ctx, f.trust.ID, applications.Filter{})
	must(t, err)
	if len(list) != 1 || list[0].Name != "" || !list[0].Anonymised {
		t.Errorf("list shows a name before shortlisting: %+v", list)
	}

	must(t, f.apps.MoveStatus(ctx, f.trust.ID, f.recruiterID, id, applications.UnderReview, ""))
	if a, _ = f.apps.GetForPartner(ctx, f.trust.ID, id); !a.Anonymised {
		t.Error("under review reveals the applicant")
	}
	must(t, f.apps.MoveStatus(ctx, f.trust.ID, f.recruiterID, id, applications.Shortlisted, "Well done"))
	a, err = f.apps.GetForPartner(ctx, f.trust.ID, id)
	must(t, err)
	if a.Anonymised || a.Name != "Zara Hidden" || a.Profile.Phone == "" || len(a.Profile.References) != 2 ||
		len(a.Passport[0].Evidence) != 1 {
		t.Errorf("shortlisted view still hides the applicant: %+v", a)
	}
	// Turning them down after shortlisting does not hide them again.
	must(t, f.apps.MoveStatus(ctx, f.trust.ID, f.recruiterID, id, applications.Unsuccessful, ""))
	if a, _ = f.apps.GetForPartner(ctx, f.trust.ID, id); a.Anonymised {
		t.Error("unsuccessful after shortlisting hides the applicant again")
	}
}

func TestPartnerMethods_AnotherPartnersApplicationIsNotFound(t *testing.T) {
	f := setUp(t)
	ctx := context.Background()
	job := f.portalJob(t, f.trust, "Midwife")
	id := f.apply(t, f.jobseeker(t, "Mo Midwife"), job, false)

	list, total, err := f.apps.ListForPartner(ctx, f.care.ID, applications.Filter{VacancyID: job.ID})
	must(t, err)
	if total != 0 || len(list) != 0 {
		t.Errorf("partner B lists A's applications: %+v", list)
	}
	if _, err := f.apps.GetForPartner(ctx, f.care.ID, id); !errors.Is(err, applications.ErrNotFound) {
		t.Errorf("get as B: %v", err)
	}
	if err := f.apps.MoveStatus(ctx, f.care.ID, f.recruiterID, id, applications.Shortlisted, ""); !errors.Is(err, applications.ErrNotFound) {
		t.Errorf("move as B: %v", err)
	}
	var out bytes.Buffer
	if err := f.apps.CSV(ctx, f.care.ID, job.ID, &out); !errors.Is(err, applications.ErrNotFound) || out.Len() != 0 {
		t.Errorf("export as B: %v, %d bytes", err, out.Len())
	}
	counts, err := f.apps.StatusCounts(ctx, f.care.ID, 0)
	must(t, err)
	if counts[applications.Submitted] != 0 {
		t.Errorf("B's counts include A's application: %v", counts)
	}
	if a, err := f.apps.GetForPartner(ctx, f.trust.ID, id); err != nil || a.Status != applications.Submitted {
		t.Errorf("A's application changed: %v %v", a.Status, err)
	}
}

func TestMoveStatus_ForwardOrUnsuccessfulAndNeverAfterTheEnd(t *testing.T) {
	f := setUp(t)
	ctx := context.Background()
	user := f.jobseeker(t, "Sid Steps")
	id := f.apply(t, user, f.portalJob(t, f.trust, "Physiotherapist"), false)
	move := func(status string) error { return f.apps.MoveStatus(ctx, f.trust.ID, f.recruiterID, id, status, "") }

	must(t, move(applications.Interview)) // skipping steps is fine
	for _, back := range []string{applications.Submitted, applications.Shortlisted, applications.Withdrawn, "hired"} {
		if errs := fieldErrors(t, move(back)); errs["status"] == "" {
			t.Errorf("move back to %s allowed", back)
		}
	}
	must(t, move(applications.Offered))
	must(t, move(applications.Accepted))
	if errs := fieldErrors(t, move(applications.Unsuccessful)); !strings.Contains(errs["status"], "cannot change") {
		t.Errorf("move after accepted: %v", errs)
	}
	if errs := fieldErrors(t, f.apps.Withdraw(ctx, user, id)); errs["withdraw"] == "" {
		t.Error("withdrawn after accepting")
	}
	a, err := f.apps.GetForUser(ctx, user, id)
	must(t, err)
	var steps []string
	for _, e := range a.Events {
		steps = append(steps, e.Status)
	}
	if strings.Join(steps, ",") != "submitted,interview,offered,accepted" || a.CanWithdraw {
		t.Errorf("history %v, can withdraw %v", steps, a.CanWithdraw)
	}
}

func TestWithdraw_OnlyYourOwnAndItBlocksFurtherMoves(t *testing.T) {
	f := setUp(t)
	ctx := context.Background()
	user, other := f.jobseeker(t, "Wendy Withdraw"), f.jobseeker(t, "Oscar Other")
	id := f.apply(t, user, f.portalJob(t, f.trust, "Receptionist"), false)
	if err := f.apps.Withdraw(ctx, other, id); !errors.Is(err, applications.ErrNotFound) {
		t.Errorf("someone else withdrew it: %v", err)
	}
	if _, err := f.apps.GetForUser(ctx, other, id); !errors.Is(err, applications.ErrNotFound) {
		t.Errorf("someone else read it: %v", err)
	}
	must(t, f.apps.Withdraw(ctx, user, id))
	if errs := fieldErrors(t, f.apps.MoveStatus(ctx, f.trust.ID, f.recruiterID, id, applications.Shortlisted, "")); errs["status"] == "" {
		t.Error("a withdrawn application was moved")
	}
	a, err := f.apps.GetForUser(ctx, user, id)
	must(t, err)
	if a.Status != applications.Withdrawn || a.CanWithdraw || !a.Events[len(a.Events)-1].ByApplicant {
		t.Errorf("after withdrawing: %s, can withdraw %v, events %+v", a.Status, a.CanWithdraw, a.Events)
	}
}

func TestAnonymiseExpired_DeletesPersonalDataOfOldApplications(t *testing.T) {
	f := setUp(t)
	ctx := context.Background()
	user := f.jobseeker(t, "Olga Old")
	f.passport(t, user)
	oldJob, newJob := f.portalJob(t, f.trust, "Old role"), f.portalJob(t, f.trust, "Recent role")
	old, recent := f.apply(t, user, oldJob, true), f.apply(t, user, newJob, true)
	must(t, f.apps.MoveStatus(ctx, f.trust.ID, f.recruiterID, old, applications.Unsuccessful, "Sorry, Olga"))
	for id, ago := range map[int64]string{oldJob.ID: "470 days", newJob.ID: "400 days"} {
		_, err := f.pool.Exec(ctx, `UPDATE vacancies SET status = 'closed', closed_at = now() - $2::interval,
			posted_on = current_date - 500, closing_on = current_date - 480 WHERE id = $1`, id, ago)
		must(t, err)
	}

	n, err := f.apps.AnonymiseExpired(ctx, time.Now(), 460*24*time.Hour)
	must(t, err)
	if n != 1 {
		t.Fatalf("anonymised %d, want 1", n)
	}
	var name, email, statement, profile, answers string
	var passport *string
	var userID *int64
	var at *time.Time
	must(t, f.pool.QueryRow(ctx, `SELECT name, email, statement, profile::text, answers::text, passport::text, user_id,
		anonymised_at FROM applications WHERE id = $1`, old).Scan(&name, &email, &statement, &profile, &answers, &passport, &userID, &at))
	if name != "" || email != "" || statement != "" || profile != "{}" || answers != "[]" || passport != nil || userID != nil || at == nil {
		t.Errorf("old application keeps personal data: %q %q %q %s %s %v %v %v", name, email, statement, profile, answers, passport, userID, at)
	}
	var notes int
	must(t, f.pool.QueryRow(ctx, `SELECT count(*) FROM application_events WHERE application_id = $1 AND note <> ''`, old).Scan(&notes))
	if notes != 0 {
		t.Error("the old application's notes were kept")
	}
	a, err := f.apps.GetForPartner(ctx, f.trust.ID, old)
	must(t, err)
	if !a.Redacted || a.Status != applications.Unsuccessful || len(a.Events) != 2 {
		t.Errorf("the partner's record should keep status and history: %+v", a)
	}
	if r, err := f.apps.GetForUser(ctx, user, recent); err != nil || r.Name != "Olga Old" || r.Passport == nil {
		t.Errorf("the recent application lost its data: %v %+v", err, r)
	}
	if n, err := f.apps.AnonymiseExpired(ctx, time.Now(), 460*24*time.Hour); err != nil || n != 0 {
		t.Errorf("second run anonymised %d (%v), want 0", n, err)
	}
}

func TestCSV_OneRowPerApplicationWithoutFormulasOrHiddenNames(t *testing.T) {
	f := setUp(t)
	ctx := context.Background()
	must(t, f.apps.SetQuestions(ctx, f.trust.ID, []string{"Which ward do you prefer?"}))
	qs, err := f.apps.Questions(ctx, f.trust.ID)
	must(t, err)
	job := f.portalJob(t, f.trust, "Ward clerk")
	evil := f.jobseeker(t, "Eve Formula")
	_, err = f.pool.Exec(ctx, `UPDATE users SET name = '=HYPERLINK("https://evil.example","x")' WHERE id = $1`, evil)
	must(t, err)
	plain := f.jobseeker(t, "Pat Plain")
	first, err := f.apps.Apply(ctx, evil, job.ID, "@SUM(1+1)", []applications.Answer{{QuestionID: qs[0].ID, Answer: "+44 ward"}}, false)
	must(t, err)
	second, err := f.apps.Apply(ctx, plain, job.ID, "-2+3", []applications.Answer{{QuestionID: qs[0].ID, Answer: "Any"}}, false)
	must(t, err)
	must(t, f.apps.MoveStatus(ctx, f.trust.ID, f.recruiterID, first, applications.Shortlisted, ""))

	var out bytes.Buffer
	must(t, f.apps.CSV(ctx, f.trust.ID, job.ID, &out))
	records, err := csv.NewReader(&out).ReadAll()
	must(t, err)
	if len(records) != 3 {
		t.Fatalf("%d rows, want a header and 2", len(records))
	}
	header := records[0]
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %v", name, header)
		return -1
	}
	for _, rec := range records[1:] {
		for i, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("column %s starts a formula: %q", header[i], cell)
			}
		}
	}
	shortlisted, hidden := records[1], records[2]
	if shortlisted[col("Candidate")] != applications.CandidateRef(first) || shortlisted[col("Status")] != "Shortlisted" ||
		shortlisted[col("Name")] != `'=HYPERLINK("https://evil.example","x")` || shortlisted[col("Statement for this job")] != "'@SUM(1+1)" ||
		shortlisted[col("Which ward do you prefer?")] != "'+44 ward" {
		t.Errorf("shortlisted row %q", shortlisted)
	}
	if hidden[col("Candidate")] != applications.CandidateRef(second) || hidden[col("Name")] != "" || hidden[col("Email")] != "" ||
		hidden[col("Phone")] != "" || hidden[col("Statement for this job")] != "'-2+3" || hidden[col("Submitted")] == "" {
		t.Errorf("anonymised row %q", hidden)
	}
}
