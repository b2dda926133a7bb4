package normalise

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/regionalcareers/portal/internal/vacancies"
)

// salaryFormats is every verbatim pay text in shared/data/salary-formats.md
// with what we read from it. Text is the feed's words, entities decoded.
var salaryFormats = []struct {
	salary string
	want   vacancies.Pay // Text left out: checked separately
}{
	{"£24,907 - £30,615 per annum, pro rata", year(24907, 30615)},
	{"£24,907 to £30,615 pa/pr", year(24907, 30615)},
	{"£38,890 - £44,503 pa pr", year(38890, 44503)},
	{"£31,365 - £37,890 pro rata per annum", year(31365, 37890)},
	{"£29,888 - £36,738 per annum inclusive of HCAS", year(29888, 36738)},
	{"£43,712 - £49,325 pa inc HCAS", year(43712, 49325)},
	{"£32,478 - £51,069 p.a + L.W", year(32478, 51069)},
	{"£37,600 to £44,780 plus £4000 London weighting", year(37600, 44780)},
	{"£18,813 - £20,795  per annum", year(18813, 20795)},
	{"£39,440- £58,077", year(39440, 58077)},
	{"£63,751- £73,664", year(63751, 73664)},
	{"£38694 - £49036", year(38694, 49036)},
	{"33,000", year(33000, 0)},
	{"50,000", year(50000, 0)},
	{"£9,491.56", year(9491.56, 0)},
	{"£28,333.20 per annum", year(28333.20, 0)},
	{"Up to £43,772", year(43772, 43772)},
	{"£85K per annum (wte)", year(85000, 0)},
	{"£29252.70  + £5K Welcome Bonus", year(29252.70, 0)},
	{"£25,500 - £37,351 + £5K Bonus", year(25500, 37351)},
	{"£23,247.92 - £ 35,077.19 + £3000 Welcome Bonus", year(23247.92, 35077.19)},
	{"£27,373.50 to £34,510 DOE (Preceptors £22,465)", year(27373.50, 34510)},
	{"£13.00 to £17.00 per hour", hour(13, 17)},
	{"£13.00 to £17.00 per hour DOE", hour(13, 17)},
	{"£13.79 per hour - £22.07 per hour", hour(13.79, 22.07)},
	{"10.09 per hour", hour(10.09, 0)},
	{"£18.15 per hour (£37,752 per annum)", hour(18.15, 0)},
	{"£17.69 p/h £20 p/h on Nights &amp; Weekends", hour(17.69, 0)},
	{"£18.09 p/h weekdays, £20.20 p/h nights &amp; weekends", hour(18.09, 0)},
	{"£13.54- £27.85", hour(13.54, 27.85)},
	{"£16.14-£27.85", hour(16.14, 27.85)},
	{"£10.50 - £15.00", hour(10.50, 15)},
	{"£15.55 - £24.88", hour(15.55, 24.88)},
	{"£155.63 per week", notStated},
	{"Band 5", band("5")},
	{"Band 6", band("6")},
	{"NHS Consultant Scale", notStated},
	{"Consultant", notStated},
	{"negotiable", notStated},
	{"Negotiable", notStated},
	{"Competitive", notStated},
	{"Competative", notStated},
	{"Competitive rates (paid per session)", notStated},
	{"Voluntary", notStated},
	{"Volunteer", notStated},
	{"Includes WTR (Annual Leave element) - see attached", notStated},
	{"Based on UHNM Apprenticeship rates of pay, in line", notStated},
	{"£24,907 - £30,615 £24,907 - £30,615 per annum, pro", year(24907, 30615)},
	{"£25000- £31000 PR", year(25000, 31000)},
	{"£37578.60 to £39709.50", year(37578.60, 39709.50)},
	{"£10295.00", year(10295, 0)},
	{"£58133.00 to £65261.00", year(58133, 65261)},
	{"£49387.00 to £56515.00", year(49387, 56515)},
	{"£35,000 - £40,000", year(35000, 40000)},
	{"£26530.00 to £29114.00", year(26530, 29114)},
	{"£30000", year(30000, 0)},
	{"Depends on experience", notStated},
	{"£18,453 - £24,646 PA Inclusive", year(18453, 24646)},
	{"Unpaid Voluntary Work", notStated},
	{"na", notStated},
	{"£15,000 - £20,000", year(15000, 20000)},
	{"£20,000 - £25,000", year(20000, 25000)},
}

var notStated = vacancies.Pay{}

func year(min, max float64) vacancies.Pay { return vacancies.Pay{Min: min, Max: max, Period: "year"} }
func hour(min, max float64) vacancies.Pay { return vacancies.Pay{Min: min, Max: max, Period: "hour"} }
func band(b string) vacancies.Pay         { return vacancies.Pay{Band: b} }

func TestPay_ReadsEveryFormatInSalaryFormats(t *testing.T) {
	for _, test := range salaryFormats {
		got := Pay(test.salary, "", "", "", "")
		wantText := collapseSpace(strings.ReplaceAll(test.salary, "&amp;", "&"))
		if got.Text != wantText {
			t.Errorf("Pay(%q).Text = %q, want %q", test.salary, got.Text, wantText)
		}
		got.Text = ""
		if got != test.want {
			t.Errorf("Pay(%q) = %+v, want %+v", test.salary, got, test.want)
		}
		assertPayValid(t, test.salary, Pay(test.salary, "", "", "", ""))
	}
}

// The table above must keep up with the shared list of real pay texts.
func TestPay_TableCoversEverySalaryFormatsExample(t *testing.T) {
	doc, err := os.ReadFile("../../../../shared/data/salary-formats.md")
	if err != nil {
		t.Skipf("salary-formats.md not beside the repository: %v", err)
	}
	text := string(doc)
	start, end := strings.Index(text, "- Verbatim"), strings.Index(text, "Other real-world quirks")
	if start < 0 || end < start {
		t.Fatal("salary-formats.md no longer has its Verbatim list before 'Other real-world quirks'")
	}
	covered := map[string]bool{}
	for _, f := range salaryFormats {
		covered[f.salary] = true
	}
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(text[start:end], -1) {
		if !covered[m[1]] {
			t.Errorf("salary-formats.md example %q is not in salaryFormats", m[1])
		}
	}
}

func TestPay_ReadsOtherCommonTexts(t *testing.T) {
	tests := []struct {
		salary string
		want   vacancies.Pay
	}{
		{"£24,071 - £25,674 per annum", year(24071, 25674)},
		{"£12.21 per hour", hour(12.21, 0)},
		{"£12.21 an hour", hour(12.21, 0)},
		{"£12.21ph", hour(12.21, 0)},
		{"£12.21/hr", hour(12.21, 0)},
		{"Hourly rate: £12.21", hour(12.21, 0)},
		{"AfC Band 6", band("6")},
		{"Band 8a", band("8a")},
		{"Band 8A", band("8a")},
		{"Band 5/6", band("5")},
		{"Band 5 £29,970 - £36,483", vacancies.Pay{Band: "5", Min: 29970, Max: 36483, Period: "year"}},
		{"Band 5 (£29,970 - £36,483 per annum)", vacancies.Pay{Band: "5", Min: 29970, Max: 36483, Period: "year"}},
		{"Band 3 £12.50 per hour", vacancies.Pay{Band: "3", Min: 12.50, Period: "hour"}},
		{"£40-45k", year(40000, 45000)},
		{"between £25,000 and £30,000", year(25000, 30000)},
		{"£30,000 - £25,000", year(25000, 30000)},
		{"£25,000 per annum, 37.5 hours per week", year(25000, 0)},
		{"£2,000 per month", notStated},
		{"£150 per day", notStated},
		{"£120 per session", notStated},
		{"£450", notStated},             // between £100 and £1,000 with no period: could be anything
		{"£12.50 per annum", notStated}, // not believable per year, and never made hourly
		{"£25,000 per hour", notStated}, // not believable per hour
		{"£12 - £25,000", hour(12, 0)},  // the ends disagree: keep the first
		{"Grade 3", notStated},          // a count, not pay
		{"Pay award 2025", notStated},   // a year, not pay
		{"Spine point 21 to 24", notStated},
		{"£0.00", notStated},
		{"", notStated},
	}
	for _, test := range tests {
		got := Pay(test.salary, "", "", "", "")
		got.Text = ""
		if got != test.want {
			t.Errorf("Pay(%q) = %+v, want %+v", test.salary, got, test.want)
		}
	}
}

func TestPay_PrefersSeparateFiguresWhenNumeric(t *testing.T) {
	tests := []struct {
		name                         string
		salary, min, max, unit, band string
		want                         vacancies.Pay
	}{
		{"year", "", "24071", "25674", "YEAR", "", year(24071, 25674)},
		{"hour over text", "Competitive", "12.5", "", "HOUR", "", vacancies.Pay{Min: 12.5, Period: "hour", Text: "Competitive"}},
		{"formatted figures", "", "£24,071.00", "£25,674.00", "YEAR", "", year(24071, 25674)},
		{"no unit, by size", "", "24071", "", "", "", year(24071, 0)},
		{"lone max is up to", "", "", "43772", "YEAR", "", year(43772, 43772)},
		{"month kept as words", "", "2000", "", "MONTH", "", vacancies.Pay{Text: "£2,000 a month"}},
		{"week kept as words", "", "155.63", "", "WEEK", "", vacancies.Pay{Text: "£155.63 a week"}},
		{"month with the feed's text", "£2,000 a month plus expenses", "2000", "", "MONTH", "",
			vacancies.Pay{Text: "£2,000 a month plus expenses"}},
		{"text figures when min is not a number", "£30,000 per annum", "TBC", "", "YEAR", "", vacancies.Pay{Min: 30000, Period: "year", Text: "£30,000 per annum"}},
		{"band field with figures", "", "29970", "36483", "YEAR", "Band 5", vacancies.Pay{Band: "5", Min: 29970, Max: 36483, Period: "year"}},
		{"zero is not a figure", "Negotiable", "0", "0", "YEAR", "", vacancies.Pay{Text: "Negotiable"}},
		{"unbelievable figures give way to the text", "£30,000 per annum", "5", "", "YEAR", "",
			vacancies.Pay{Min: 30000, Period: "year", Text: "£30,000 per annum"}},
		{"figures in an unknown unit kept as words", "", "150", "", "SHIFT", "", vacancies.Pay{Text: "£150 per shift"}},
		{"an unknown unit gives way to the text", "£12.50 per hour", "12.5", "", "SHIFT", "",
			vacancies.Pay{Min: 12.5, Period: "hour", Text: "£12.50 per hour"}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := Pay(test.salary, test.min, test.max, test.unit, test.band)
			if got != test.want {
				t.Errorf("Pay(%q, %q, %q, %q, %q) = %+v, want %+v", test.salary, test.min, test.max, test.unit, test.band, got, test.want)
			}
			assertPayValid(t, test.name, got)
		})
	}
}

func TestPay_ReadsTheBandField(t *testing.T) {
	tests := []struct {
		band, salary string
		want         vacancies.Pay
	}{
		{"Band 5", "", band("5")},
		{"5", "", band("5")},
		{"8A", "", band("8a")},
		{"AfC Band 8b", "", band("8b")},
		{"Agenda for Change band 7", "", band("7")},
		{"Band 6", "£37,338 - £44,962", vacancies.Pay{Band: "6", Min: 37338, Max: 44962, Period: "year", Text: "£37,338 - £44,962"}},
		{"Band 6", "Band 5", vacancies.Pay{Band: "6", Text: "Band 5"}}, // the band field is the feed's own answer
		{"Band 1", "", vacancies.Pay{Text: "Band 1"}},                  // no longer on the scale: kept as words
		{"Medical scale", "", vacancies.Pay{Text: "Medical scale"}},
	}
	for _, test := range tests {
		got := Pay(test.salary, "", "", "", test.band)
		if test.want.Text == "" && test.salary == "" {
			got.Text = ""
		}
		if got != test.want {
			t.Errorf("Pay(%q, band %q) = %+v, want %+v", test.salary, test.band, got, test.want)
		}
	}
}

func TestPay_KeepsTheFeedsWordsForDisplay(t *testing.T) {
	got := Pay("  £17.69 p/h\n£20 p/h on Nights &amp; Weekends ", "", "", "", "")
	if want := "£17.69 p/h £20 p/h on Nights & Weekends"; got.Text != want {
		t.Errorf("Text = %q, want %q", got.Text, want)
	}
	long := Pay(strings.Repeat("Competitive pay and benefits ", 40), "", "", "", "")
	if len(long.Text) > maxPayText || !strings.HasSuffix(long.Text, "…") {
		t.Errorf("a paragraph in the salary field should be cut to %d bytes with …, got %d bytes: %q", maxPayText, len(long.Text), long.Text)
	}
}

// assertPayValid fails when vacancies.Validate would refuse the pay.
func assertPayValid(t *testing.T, input string, p vacancies.Pay) {
	t.Helper()
	if p.Band == "" && p.Min == 0 && strings.TrimSpace(p.Text) == "" {
		return // nothing stated at all: Vacancy rejects that itself
	}
	if msg := (vacancies.Vacancy{Pay: p}).Validate()["pay"]; msg != "" {
		t.Errorf("Pay from %q = %+v is invalid: %s", input, p, msg)
	}
}
