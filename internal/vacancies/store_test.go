package vacancies_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

func stores(t *testing.T) (*partners.Store, *vacancies.Store) {
	t.Helper()
	_, ps, vs := vt.Stores(t)
	return ps, vs
}

func TestSave_UpsertsByPartnerAndReferenceWithoutDuplicates(t *testing.T) {
	ps, vs := stores(t)
	trust := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	v := vt.New(trust, vt.Title("Ward clerk"), vt.At(vt.Cambridge, vt.Wisbech))
	first, err := vs.Save(context.Background(), v)
	if err != nil || !first.Created {
		t.Fatalf("first save: %+v %v", first, err)
	}
	v.Title, v.Locations = "Senior ward clerk", []vacancies.Location{vt.Peterborough}
	second, err := vs.Save(context.Background(), v)
	if err != nil || second.Created || second.ID != first.ID {
		t.Fatalf("second save: %+v %v, want an update of %d", second, err, first.ID)
	}
	got, err := vs.Get(context.Background(), first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Senior ward clerk" || len(got.Locations) != 1 || got.Locations[0].Name != "Peterborough" {
		t.Errorf("after update: %q at %v", got.Title, got.Locations)
	}
	if got.Partner.Slug != "fen-valley-trust" || got.Pay.Band != "3" || !got.Open(vt.Today) {
		t.Errorf("read back wrong: %+v", got)
	}
}

func TestSave_EnqueuesASearchSyncInTheSameTransaction(t *testing.T) {
	ps, vs := stores(t)
	trust := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	saved := vt.Save(t, vs, vt.New(trust), vt.New(trust))
	var jobs int
	err := testenv.Pool(t).QueryRow(context.Background(), `SELECT count(*) FROM river_job
		WHERE kind = 'search_sync_vacancies' AND args->'ids' @> to_jsonb($1::bigint[])`,
		[]int64{saved[0].ID, saved[1].ID}).Scan(&jobs)
	if err != nil || jobs != 1 {
		t.Errorf("sync jobs covering both ids: %d (%v), want 1", jobs, err)
	}
}

func TestSaveMany_IsAllOrNothing(t *testing.T) {
	ps, vs := stores(t)
	trust := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	bad := vt.New(trust, vt.Title(""))
	_, err := vs.SaveMany(context.Background(), []vacancies.Vacancy{vt.New(trust), bad})
	var verr vacancies.ValidationError
	if !errors.As(err, &verr) || verr["title"] == "" {
		t.Fatalf("want a validation error on title, got %v", err)
	}
	counts, _ := vs.LiveCounts(context.Background())
	if counts.Live != 0 {
		t.Errorf("%d vacancies saved from a failed batch", counts.Live)
	}
}

func TestValidate_ExplainsEachWrongField(t *testing.T) {
	trust := partners.Partner{ID: 1, Slug: "t", Name: "T", Type: partners.NHSTrust}
	cases := map[string]func(*vacancies.Vacancy){
		"staff_group": func(v *vacancies.Vacancy) { v.StaffGroup = "astronauts" },
		"pay":         func(v *vacancies.Vacancy) { v.Pay = vacancies.Pay{Min: 12.5} },
		"contract":    func(v *vacancies.Vacancy) { v.Contract = "zero-hours-ish" },
		"pattern":     func(v *vacancies.Vacancy) { v.Patterns = nil },
		"hours":       func(v *vacancies.Vacancy) { v.HoursPerWeek = 90 },
		"location":    func(v *vacancies.Vacancy) { v.Locations[0].Postcode = "not a postcode" },
		"closing_on":  func(v *vacancies.Vacancy) { v.ClosingOn = v.PostedOn.AddDate(0, 0, -1) },
		"apply_url":   func(v *vacancies.Vacancy) { v.ApplyURL = "javascript:alert(1)" },
	}
	for field, mod := range cases {
		errs := vt.New(trust, mod).Validate()
		if errs[field] == "" || len(errs) != 1 {
			t.Errorf("%s: got %v, want one error on %s", field, errs, field)
		}
	}
	if errs := vt.New(trust, func(v *vacancies.Vacancy) { v.Pay = vacancies.Pay{Text: "Competitive"} }).Validate(); len(errs) != 0 {
		t.Errorf("pay described only in words is refused: %v", errs)
	}
	if errs := vt.New(trust).Validate(); len(errs) != 0 {
		t.Errorf("a valid vacancy has errors: %v", errs)
	}
}

func TestSchema_RejectsWhatGoValidationWouldMiss(t *testing.T) {
	ps, _ := stores(t)
	trust := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	pool := testenv.Pool(t)
	insert := `INSERT INTO vacancies (partner_id, external_ref, title, description, staff_group, band, contract,
		patterns, hours_per_week, posted_on, closing_on, status, apply_url)
		VALUES ($1, 'R1', 'Staff nurse', 'A long enough description of the role.', $2, $3, 'permanent', $4, 37.5,
		current_date, current_date + $5::int, 'live', $6)`
	for name, args := range map[string][]any{
		"unknown staff group": {trust.ID, "astronauts", "5", []string{"full-time"}, 7, "https://x.example"},
		"unknown band":        {trust.ID, "nursing-midwifery", "12", []string{"full-time"}, 7, "https://x.example"},
		"unknown pattern":     {trust.ID, "nursing-midwifery", "5", []string{"whenever"}, 7, "https://x.example"},
		"closing before post": {trust.ID, "nursing-midwifery", "5", []string{"full-time"}, -1, "https://x.example"},
		"javascript URL":      {trust.ID, "nursing-midwifery", "5", []string{"full-time"}, 7, "javascript:alert(1)"},
		"unknown partner":     {int64(999999), "nursing-midwifery", "5", []string{"full-time"}, 7, "https://x.example"},
	} {
		if _, err := pool.Exec(context.Background(), insert, args...); err == nil ||
			!(strings.Contains(err.Error(), "violates check") || strings.Contains(err.Error(), "violates foreign key")) {
			t.Errorf("%s: got %v, want a constraint violation", name, err)
		}
	}
}

func TestPay_StringsPeopleRead(t *testing.T) {
	for _, tc := range []struct {
		pay  vacancies.Pay
		want string
	}{
		{vacancies.Pay{Band: "5"}, "Band 5: £29,970 to £36,483 a year"},
		{vacancies.Pay{Band: "2"}, "Band 2: £24,465 a year"},
		{vacancies.Pay{Min: 12.6, Max: 14.5, Period: "hour"}, "£12.60 to £14.50 an hour"},
		{vacancies.Pay{Min: 105000, Max: 139882, Period: "year", Text: "Consultant scale"}, "£105,000 to £139,882 a year"},
		{vacancies.Pay{Text: "Negotiable"}, "Negotiable"},
	} {
		if got := tc.pay.String(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.pay, got, tc.want)
		}
	}
	if got := (vacancies.Pay{Min: 12, Period: "hour"}).AnnualFTE(); got != 23464 {
		t.Errorf("£12 an hour full time = %v a year, want 23464 (37.5 h × 52.143 weeks)", got)
	}
}

func TestSave_UnchangedVacancyWritesNothingAndEnqueuesNothing(t *testing.T) {
	pool, ps, vs := vt.Stores(t)
	trust := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	v := vt.New(trust)
	first, _ := vs.Save(context.Background(), v)
	again, err := vs.Save(context.Background(), v)
	if err != nil || again.Changed || again.Created || again.ID != first.ID {
		t.Fatalf("unchanged save: %+v %v, want id %d unchanged", again, err, first.ID)
	}
	v.Status = vacancies.Closed
	closed, err := vs.Save(context.Background(), v)
	if err != nil || !closed.Changed {
		t.Fatalf("closing: %+v %v, want changed", closed, err)
	}
	var jobs int
	_ = pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'search_sync_vacancies'`).Scan(&jobs)
	if jobs != 2 {
		t.Errorf("%d sync jobs, want 2 (create and close, none for the unchanged save)", jobs)
	}
}
