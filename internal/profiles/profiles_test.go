package profiles_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/profiles"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// env is a test's database with two partners and the store.
type env struct {
	pool   *pgxpool.Pool
	store  *profiles.Store
	trust  partners.Partner
	care   partners.Partner
	saveVs func(...string) []int64 // saves live vacancies of the trust, by title
}

func setUp(t *testing.T) *env {
	t.Helper()
	pool, ps, vs := vt.Stores(t)
	e := &env{pool: pool, store: profiles.NewStore(pool), trust: vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust),
		care: vt.Partner(t, ps, "willow-care", partners.CareProvider)}
	e.saveVs = func(titles ...string) []int64 {
		var ids []int64
		for _, title := range titles {
			ids = append(ids, vt.Save(t, vs, vt.New(e.trust, vt.Title(title)))[0].ID)
		}
		return ids
	}
	return e
}

// user creates an account and returns its id.
func (e *env) user(t *testing.T, email string) int64 {
	t.Helper()
	var id int64
	err := e.pool.QueryRow(context.Background(), `INSERT INTO users (email, name, password_hash)
		VALUES ($1, $2, 'not-a-hash') RETURNING id`, email, strings.Split(email, "@")[0]).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// goodProfile is a complete, valid profile.
func goodProfile(userID int64) profiles.Profile {
	return profiles.Profile{
		UserID: userID, Phone: "07700 900982", Address: "1 Market Place, Ely", Postcode: "cb7 4ns",
		RightToWork: "citizen", RegistrationBody: "NMC", RegistrationNumber: "12a3456b",
		Statement:   "I have worked on a busy surgical ward for five years.",
		WorkHistory: []profiles.Job{{Employer: "Fen Valley Trust", Role: "Staff nurse", From: "2019-04", Duties: "Ward care"}},
		Education:   []profiles.Qualification{{Institution: "Anglia Ruskin University", Qualification: "BSc Nursing", Year: "2019"}},
		References: []profiles.Referee{
			{Name: "Sam Ward", Relationship: "Ward manager", Email: "sam@example.org"},
			{Name: "Ali Khan", Relationship: "Tutor", Email: "ali@example.org", Phone: "01632 960001"},
		},
	}
}

func TestValidate_SaysWhatIsWrongWithEachField(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*profiles.Profile)
		field  string
		want   string
	}{
		{"phone with letters", func(p *profiles.Profile) { p.Phone = "call me maybe" }, "phone", "Enter a telephone number"},
		{"phone too short", func(p *profiles.Profile) { p.Phone = "12345" }, "phone", "Enter a telephone number"},
		{"plus in the middle", func(p *profiles.Profile) { p.Phone = "0770+0900982" }, "phone", "Enter a telephone number"},
		{"postcode not UK", func(p *profiles.Profile) { p.Postcode = "90210" }, "postcode", "Enter a real postcode"},
		{"right to work unknown", func(p *profiles.Profile) { p.RightToWork = "maybe" }, "right_to_work", "right to work"},
		{"unknown body", func(p *profiles.Profile) { p.RegistrationBody = "GPhC" }, "registration_body", "Choose the professional body"},
		{"number without body", func(p *profiles.Profile) { p.RegistrationBody = "" }, "registration_body", "Choose the professional body"},
		{"body without number", func(p *profiles.Profile) { p.RegistrationNumber = "" }, "registration_number", "Enter your NMC registration number"},
		{"NMC number wrong", func(p *profiles.Profile) { p.RegistrationNumber = "1234567" }, "registration_number", "like 12A3456B"},
		{"GMC number wrong", func(p *profiles.Profile) { p.RegistrationBody, p.RegistrationNumber = "GMC", "12A3456B" }, "registration_number", "like 1234567"},
		{"HCPC number wrong", func(p *profiles.Profile) { p.RegistrationBody, p.RegistrationNumber = "HCPC", "123456" }, "registration_number", "like PH123456"},
		{"SWE number wrong", func(p *profiles.Profile) { p.RegistrationBody, p.RegistrationNumber = "SWE", "PH123456" }, "registration_number", "like SW12345"},
		{"statement too long", func(p *profiles.Profile) { p.Statement = strings.Repeat("a", 5001) }, "statement", "5000 characters or fewer"},
		{"job without employer", func(p *profiles.Profile) { p.WorkHistory[0].Employer = " " }, "jobs.0.employer", "Enter the employer's name"},
		{"job month not real", func(p *profiles.Profile) { p.WorkHistory[0].From = "2019-13" }, "jobs.0.from", "real month and year"},
		{"job ends before it starts", func(p *profiles.Profile) { p.WorkHistory[0].To = "2018-01" }, "jobs.0.to", "same as or after the start"},
		{"qualification year", func(p *profiles.Profile) { p.Education[0].Year = "19" }, "education.0.year", "4 digits"},
		{"referee e-mail", func(p *profiles.Profile) { p.References[1].Email = "ali at example" }, "references.1.email", "correct format"},
		{"referee without name", func(p *profiles.Profile) { p.References[0].Name = "" }, "references.0.name", "Enter your referee's name"},
		{"eleven jobs", func(p *profiles.Profile) {
			for range 10 {
				p.WorkHistory = append(p.WorkHistory, p.WorkHistory[0])
			}
		}, "jobs", "up to 10 jobs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := goodProfile(1)
			tc.change(&p)
			errs := p.Validate()
			if !strings.Contains(errs[tc.field], tc.want) {
				t.Errorf("%s: error %q, want one containing %q (all: %v)", tc.field, errs[tc.field], tc.want, errs)
			}
			if len(errs) != 1 {
				t.Errorf("%d errors, want only %s: %v", len(errs), tc.field, errs)
			}
		})
	}
}

func TestValidate_AcceptsRealNumbersAndAnEmptyProfile(t *testing.T) {
	for body, number := range map[string]string{"NMC": "12A3456B", "HCPC": "PH123456", "GMC": "1234567", "SWE": "SW12345"} {
		p := goodProfile(1)
		p.RegistrationBody, p.RegistrationNumber = body, number
		if errs := p.Validate(); len(errs) > 0 {
			t.Errorf("%s %s: %v", body, number, errs)
		}
	}
	if errs := (profiles.Profile{}).Validate(); len(errs) > 0 {
		t.Errorf("an empty profile is refused: %v", errs)
	}
	if errs := goodProfile(1).Validate(); len(errs) > 0 {
		t.Errorf("a good profile is refused: %v", errs)
	}
}

func TestComplete_ListsWhatIsMissingBeforeApplying(t *testing.T) {
	p := goodProfile(1)
	p.Name = "Jo"
	if ok, missing := p.Complete(); !ok || len(missing) != 0 {
		t.Errorf("a complete profile: %v %v", ok, missing)
	}
	p = profiles.Profile{Name: "Jo", References: []profiles.Referee{{Name: "Sam"}}}
	ok, missing := p.Complete()
	want := []string{"a telephone number", "whether you have the right to work in the UK", "a supporting statement",
		"at least one job or qualification", "one more referee"}
	if ok || fmt.Sprint(missing) != fmt.Sprint(want) {
		t.Errorf("missing %q, want %q", missing, want)
	}
	p.Education = []profiles.Qualification{{Institution: "ARU", Qualification: "BSc"}}
	if _, missing := p.Complete(); strings.Contains(fmt.Sprint(missing), "job or qualification") {
		t.Error("a qualification alone does not count")
	}
}

func TestStore_UnsavedProfileHasTheAccountsNameAndEmail(t *testing.T) {
	e := setUp(t)
	id := e.user(t, "jo@example.org")
	p, err := e.store.Get(context.Background(), id)
	must(t, err)
	if p.Name != "jo" || p.Email != "jo@example.org" || p.Phone != "" || len(p.WorkHistory) != 0 {
		t.Errorf("unsaved profile %+v", p)
	}
	if _, err := e.store.Get(context.Background(), id+1000); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("no such user: %v", err)
	}
}

func TestStore_SavesTidiedProfileAndRefusesAnInvalidOne(t *testing.T) {
	e := setUp(t)
	ctx := context.Background()
	id := e.user(t, "jo@example.org")
	p := goodProfile(id)
	p.Name = "Someone else" // the account's, not the profile's
	must(t, e.store.Save(ctx, p))
	got, err := e.store.Get(ctx, id)
	must(t, err)
	if got.Name != "jo" || got.Postcode != "CB7 4NS" || got.RegistrationNumber != "12A3456B" || len(got.References) != 2 ||
		got.WorkHistory[0].Role != "Staff nurse" || got.UpdatedAt.IsZero() {
		t.Errorf("saved profile %+v", got)
	}

	bad := got
	bad.Phone, bad.Statement = "not a number", "Changed"
	err = e.store.Save(ctx, bad)
	var verr profiles.ValidationError
	if !errors.As(err, &verr) || verr["phone"] == "" {
		t.Fatalf("invalid save: %v", err)
	}
	after, err := e.store.Get(ctx, id)
	must(t, err)
	if after.Statement != got.Statement {
		t.Error("an invalid save changed the profile")
	}
}

// TestStore_UpdatesAtOnceKeepEveryChange adds jobs from several forms at
// the same time: none is lost.
func TestStore_UpdatesAtOnceKeepEveryChange(t *testing.T) {
	e := setUp(t)
	id := e.user(t, "jo@example.org")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			err := e.store.Update(context.Background(), id, func(p *profiles.Profile) error {
				p.WorkHistory = append(p.WorkHistory, profiles.Job{Employer: fmt.Sprint("Employer ", i), Role: "Carer", From: "2020-01"})
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	p, err := e.store.Get(context.Background(), id)
	must(t, err)
	if len(p.WorkHistory) != 8 {
		t.Errorf("%d jobs saved, want 8", len(p.WorkHistory))
	}
}

func TestMonth_RoundTripsWhatTheFormSends(t *testing.T) {
	if got := profiles.Month("4", "2019"); got != "2019-04" {
		t.Errorf("Month = %q", got)
	}
	if got := profiles.Month("", ""); got != "" {
		t.Errorf("empty Month = %q", got)
	}
	if m, y := profiles.SplitMonth("2019-04"); m != "4" || y != "2019" {
		t.Errorf("SplitMonth = %q %q", m, y)
	}
	if errs := (profiles.Job{Employer: "A", Role: "B", From: profiles.Month("April", "2019")}).Validate(); errs["from"] == "" {
		t.Error("a month in words was accepted")
	}
}
