package normalise

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/vacancies"
)

var today = day(2026, time.November, 1)

// anItem is an item every rule accepts; tests change one thing about it.
func anItem(change ...func(*formats.Item)) formats.Item {
	item := formats.Item{
		Reference:   "REF-1",
		Title:       "Staff Nurse - Ward 5",
		Description: "<p>Join our friendly ward team caring for adult patients.</p>",
		Locations:   []formats.Location{{Town: "Wisbech", Postcode: "PE13 1AA"}},
		Salary:      "£29,970 - £36,483 per annum",
		Contract:    "Permanent",
		Pattern:     "Full-time",
		Category:    "Nursing",
		PostedDate:  "2026-10-20",
		ClosingDate: "30/11/2026",
		URL:         "https://jobs.example.nhs.uk/vacancy/1",
	}
	for _, c := range change {
		c(&item)
	}
	return item
}

func aContext(change ...func(*Context)) Context {
	c := Context{PartnerID: 7, Today: today}
	for _, f := range change {
		f(&c)
	}
	return c
}

func withDefaults(defaults map[string]string) func(*Context) {
	return func(c *Context) { c.Mapping.Defaults = defaults }
}

func TestVacancy_BuildsAVacancyReadyToSave(t *testing.T) {
	got, err := Vacancy(anItem(), aContext())
	if err != nil {
		t.Fatal(err)
	}
	want := vacancies.Vacancy{
		PartnerID:    7,
		ExternalRef:  "REF-1",
		Title:        "Staff Nurse - Ward 5",
		Description:  "Join our friendly ward team caring for adult patients.",
		StaffGroup:   "nursing-midwifery",
		Pay:          vacancies.Pay{Min: 29970, Max: 36483, Period: "year", Text: "£29,970 - £36,483 per annum"},
		Contract:     "permanent",
		Patterns:     []string{"full-time"},
		HoursPerWeek: 37.5,
		Locations:    []vacancies.Location{{Name: "Wisbech", Postcode: "PE13 1AA", Lat: 52.66978, Lon: 0.13853}},
		PostedOn:     day(2026, time.October, 20),
		ClosingOn:    day(2026, time.November, 30),
		Status:       vacancies.Live,
		ApplyURL:     "https://jobs.example.nhs.uk/vacancy/1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Vacancy =\n%+v\nwant\n%+v", got, want)
	}
}

// rejected asserts that Vacancy rejects the item on field with reason.
func rejected(t *testing.T, item formats.Item, c Context, field, reason string) {
	t.Helper()
	v, err := Vacancy(item, c)
	var r *Rejection
	if !errors.As(err, &r) {
		t.Fatalf("Vacancy = %+v, %v; want a *Rejection on %s", v, err, field)
	}
	if r.Field != field || r.Reason != reason || r.Error() != reason {
		t.Errorf("Rejection = {%q, %q}, want {%q, %q}", r.Field, r.Reason, field, reason)
	}
}

func TestVacancy_RejectsClosingDateInThePast(t *testing.T) {
	rejected(t, anItem(func(i *formats.Item) { i.ClosingDate = "2026-10-31" }), aContext(),
		"closing_on", "closing date 2026-10-31 has passed")
}

func TestVacancy_RejectsAClosingDateThatIsNotADate(t *testing.T) {
	rejected(t, anItem(func(i *formats.Item) { i.ClosingDate = "31/02/2026" }), aContext(),
		"closing_on", `closing date "31/02/2026" is not a date`)
}

func TestVacancy_AcceptsClosingToday(t *testing.T) {
	v, err := Vacancy(anItem(func(i *formats.Item) { i.ClosingDate = "2026-11-01T23:59:59"; i.PostedDate = "" }), aContext())
	if err != nil || !v.ClosingOn.Equal(today) {
		t.Errorf("closing today: %v, %v", v.ClosingOn, err)
	}
}

func TestVacancy_GivesAMissingOrFarClosingDateTheDefault(t *testing.T) {
	tests := []struct {
		closing  string
		defaults map[string]string
		want     time.Time
	}{
		{"", nil, day(2026, time.December, 1)},
		{"30/11/2126", nil, day(2026, time.December, 1)}, // a placeholder 100 years ahead
		{"2027-11-02", nil, day(2026, time.December, 1)}, // 366 days ahead
		{"2027-11-01", nil, day(2027, time.November, 1)}, // 365 days ahead is believed
		{"", map[string]string{"closing_days": "14"}, day(2026, time.November, 15)},
		{"", map[string]string{"closing_days": "nonsense"}, day(2026, time.December, 1)},
	}
	for _, test := range tests {
		v, err := Vacancy(anItem(func(i *formats.Item) { i.ClosingDate = test.closing }), aContext(withDefaults(test.defaults)))
		if err != nil || !v.ClosingOn.Equal(test.want) {
			t.Errorf("closing %q with %v: %v, %v; want %v", test.closing, test.defaults, v.ClosingOn, err, test.want)
		}
	}
}

func TestVacancy_FillsAndClampsThePostedDate(t *testing.T) {
	tests := []struct {
		posted, closing string
		want            time.Time
	}{
		{"", "30/11/2026", today},
		{"whenever", "30/11/2026", today},
		{"2026-12-25", "30/11/2026", day(2026, time.November, 30)}, // after closing: set to closing, not rejected
		{"2019-05-01", "30/11/2026", day(2019, time.May, 1)},
	}
	for _, test := range tests {
		v, err := Vacancy(anItem(func(i *formats.Item) { i.PostedDate, i.ClosingDate = test.posted, test.closing }), aContext())
		if err != nil || !v.PostedOn.Equal(test.want) {
			t.Errorf("posted %q: %v, %v; want %v", test.posted, v.PostedOn, err, test.want)
		}
	}
}

func TestVacancy_CountsTodayOnLondonsCalendar(t *testing.T) {
	lateSummerEvening := time.Date(2026, time.June, 30, 23, 30, 0, 0, time.UTC) // 00:30 on 1 July in London
	v, err := Vacancy(anItem(func(i *formats.Item) { i.ClosingDate, i.PostedDate = "", "" }),
		aContext(func(c *Context) { c.Today = lateSummerEvening }))
	if err != nil || !v.PostedOn.Equal(day(2026, time.July, 1)) || !v.ClosingOn.Equal(day(2026, time.July, 31)) {
		t.Errorf("posted %v closing %v, %v; want 1 July and 31 July", v.PostedOn, v.ClosingOn, err)
	}
}

func TestVacancy_CleansTheTitle(t *testing.T) {
	tests := map[string]string{
		"  Staff   Nurse\n - A&amp;E ":  "Staff Nurse - A&E",
		"<b>Staff Nurse</b> &ndash; ED": "Staff Nurse – ED",
		"A&amp;amp;E Nurse":             "A&amp;E Nurse", // decoded once, not twice
	}
	for in, want := range tests {
		v, err := Vacancy(anItem(func(i *formats.Item) { i.Title = in }), aContext())
		if err != nil || v.Title != want {
			t.Errorf("title %q: %q, %v; want %q", in, v.Title, err, want)
		}
	}
	long := strings.Repeat("Registered Nurse ", 30)
	v, err := Vacancy(anItem(func(i *formats.Item) { i.Title = long }), aContext())
	if err != nil || len(v.Title) > 200 || !strings.HasSuffix(v.Title, "Nurse…") {
		t.Errorf("long title: %q (%d bytes), %v; want at most 200 bytes ending at a word with …", v.Title, len(v.Title), err)
	}
}

func TestVacancy_RejectsAMissingTitle(t *testing.T) {
	rejected(t, anItem(func(i *formats.Item) { i.Title = " \n " }), aContext(), "title", "missing title")
}

func TestVacancy_TakesTheReferenceFromTheURLWhenMissing(t *testing.T) {
	v, err := Vacancy(anItem(func(i *formats.Item) { i.Reference = "" }), aContext())
	if err != nil || v.ExternalRef != "https://jobs.example.nhs.uk/vacancy/1" {
		t.Errorf("ExternalRef = %q, %v", v.ExternalRef, err)
	}
	rejected(t, anItem(func(i *formats.Item) { i.Reference, i.URL = "", "" }), aContext(), "external_ref", "missing reference")
}

func TestVacancy_HashesALongReferenceTheSameWayEveryRun(t *testing.T) {
	long := "https://jobs.example.nhs.uk/vacancy?" + strings.Repeat("tracking=abc&", 20)
	first, err1 := Vacancy(anItem(func(i *formats.Item) { i.Reference = long }), aContext())
	second, err2 := Vacancy(anItem(func(i *formats.Item) { i.Reference = long }), aContext())
	if err1 != nil || err2 != nil || !strings.HasPrefix(first.ExternalRef, "sha1:") || len(first.ExternalRef) > 120 ||
		first.ExternalRef != second.ExternalRef {
		t.Errorf("long reference: %q and %q (%v, %v)", first.ExternalRef, second.ExternalRef, err1, err2)
	}
}

func TestVacancy_RejectsAnApplyLinkThatIsNotTheWeb(t *testing.T) {
	for _, link := range []string{"", "jobs.example.nhs.uk/1", "javascript:alert(1)", "mailto:jobs@example.nhs.uk",
		"https://", "https://jobs.example.nhs.uk/a b"} {
		rejected(t, anItem(func(i *formats.Item) { i.URL = link }), aContext(), "apply_url", "missing or invalid apply link")
	}
}

func TestVacancy_RejectsATooShortDescription(t *testing.T) {
	rejected(t, anItem(func(i *formats.Item) { i.Description = "<p>See <b>advert</b>.</p><script>x()</script>" }), aContext(),
		"description", "description is too short (15 characters)")
}

func TestVacancy_PicksTheStaffGroup(t *testing.T) {
	v, err := Vacancy(anItem(func(i *formats.Item) { i.Category, i.Title = "Healthcare", "Band 5 Physiotherapist" }), aContext())
	if err != nil || v.StaffGroup != "allied-health" {
		t.Errorf("StaffGroup = %q, %v", v.StaffGroup, err)
	}
	v, err = Vacancy(anItem(func(i *formats.Item) { i.Category, i.Title = "Healthcare", "Volunteer Befriender" }),
		aContext(withDefaults(map[string]string{"staff_group": "social-care"})))
	if err != nil || v.StaffGroup != "social-care" {
		t.Errorf("default StaffGroup = %q, %v", v.StaffGroup, err)
	}
	rejected(t, anItem(func(i *formats.Item) { i.Category, i.Title = "Healthcare", "Volunteer Befriender" }), aContext(),
		"staff_group", `could not tell the staff group from category "Healthcare" or the title`)
}

func TestVacancy_TakesPayNotStated(t *testing.T) {
	v, err := Vacancy(anItem(func(i *formats.Item) { i.Salary = "Negotiable" }), aContext())
	if err != nil || v.Pay != (vacancies.Pay{Text: "Negotiable"}) {
		t.Errorf("Pay = %+v, %v", v.Pay, err)
	}
	v, err = Vacancy(anItem(func(i *formats.Item) { i.Salary = "" }), aContext(withDefaults(map[string]string{"pay": "Competitive"})))
	if err != nil || v.Pay != (vacancies.Pay{Text: "Competitive"}) {
		t.Errorf("default Pay = %+v, %v", v.Pay, err)
	}
	rejected(t, anItem(func(i *formats.Item) { i.Salary = "" }), aContext(), "pay", "missing pay: the feed gave no salary or band")
}

func TestVacancy_RejectsAnUnknownLocation(t *testing.T) {
	rejected(t, anItem(func(i *formats.Item) { i.Locations = []formats.Location{{Text: "Atlantis"}} }), aContext(),
		"location", `unknown location "Atlantis"`)
}

func TestVacancy_UsesTheDefaultLocation(t *testing.T) {
	v, err := Vacancy(anItem(func(i *formats.Item) { i.Locations = nil }), aContext(withDefaults(map[string]string{"location": "PE13"})))
	if err != nil || len(v.Locations) != 1 || v.Locations[0].Postcode != "PE13" {
		t.Errorf("Locations = %+v, %v", v.Locations, err)
	}
}

// What Validate still finds comes back as a Rejection on its field.
func TestVacancy_RejectsWhatValidateRefuses(t *testing.T) {
	rejected(t, anItem(func(i *formats.Item) { i.Title = "RN" }), aContext(), "title", "Enter a job title of 3 to 200 characters")
	rejected(t, anItem(), aContext(func(c *Context) { c.PartnerID = 0 }), "partner", "Choose the employer")
}

func TestVacancy_RejectsWhatTheParserFlagged(t *testing.T) {
	rejected(t, anItem(func(i *formats.Item) { i.Problem = "the row has 9 fields but the header row has 12" }), aContext(),
		"item", "the row has 9 fields but the header row has 12")
}

func TestVacancy_KeepsPayInAnotherCurrencyAsWords(t *testing.T) {
	v, err := Vacancy(anItem(func(i *formats.Item) {
		i.Salary, i.SalaryMin, i.SalaryUnit, i.SalaryCurrency = "", "50000", "YEAR", "EUR"
	}), aContext())
	if err != nil || v.Pay != (vacancies.Pay{Text: "EUR 50,000 a year"}) {
		t.Errorf("Pay = %+v, %v", v.Pay, err)
	}
	v, err = Vacancy(anItem(func(i *formats.Item) {
		i.Salary, i.SalaryMin, i.SalaryMax, i.SalaryUnit, i.SalaryCurrency = "", "20", "25.5", "HOUR", "USD"
	}), aContext())
	if err != nil || v.Pay != (vacancies.Pay{Text: "USD 20 to 25.50 an hour"}) {
		t.Errorf("Pay = %+v, %v", v.Pay, err)
	}
	v, err = Vacancy(anItem(func(i *formats.Item) { i.SalaryMin, i.SalaryUnit, i.SalaryCurrency = "30000", "YEAR", "GBP" }), aContext())
	if err != nil || v.Pay.Min != 30000 || v.Pay.Period != "year" {
		t.Errorf("Pay in GBP = %+v, %v", v.Pay, err)
	}
}
