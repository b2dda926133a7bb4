package normalise

import (
	"errors"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/vacancies"
)

func FuzzPay(f *testing.F) {
	for _, s := range salaryFormats {
		f.Add(s.salary, "", "", "", "")
	}
	f.Add("", "24071", "25674", "YEAR", "Band 5")
	f.Add("Competitive", "2000", "", "MONTH", "")
	f.Add("£40-45k", "", "1e400", "HOUR", "Band 8a/8b")
	f.Fuzz(func(t *testing.T, salary, min, max, unit, band string) {
		p := Pay(salary, min, max, unit, band)
		if p.Band != "" && !vacancies.Bands.Has(p.Band) {
			t.Fatalf("Pay gave band %q", p.Band)
		}
		if len(p.Text) > maxPayText {
			t.Fatalf("Pay.Text is %d bytes", len(p.Text))
		}
		if p.Min == 0 && (p.Max != 0 || p.Period != "") {
			t.Fatalf("Pay without a Min has Max %v, Period %q", p.Max, p.Period)
		}
		if p.Band == "" && p.Min == 0 && p.Text == "" {
			return
		}
		if msg := (vacancies.Vacancy{Pay: p}).Validate()["pay"]; msg != "" {
			t.Fatalf("Pay(%q, %q, %q, %q, %q) = %+v is invalid: %s", salary, min, max, unit, band, p, msg)
		}
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2026-11-30T10:00:00.123+0100", "30/11/2026", "11/30/2026", "Mon, 30 Nov 2026 00:00:00 GMT",
		"30th Sept 2026", "2026-06-30T23:30:00Z", "31/02/2026", "0/0/0000", "99999-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := Date(text)
		if err != nil {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("Date(%q) = %v, not UTC midnight", text, d)
		}
	})
}

func FuzzVacancy(f *testing.F) {
	base := anItem()
	f.Add(base.Reference, base.Title, base.Description, base.Salary, "", "", "", base.ClosingDate, base.PostedDate,
		"WISBECH", "", "", "PE13 1AA", "52.66", "-.262406", "Full-time, Bank", "22.5hrs", "Healthcare", base.URL)
	f.Add("", "A&amp;E Nurse", "plain\n\ntext that is long enough", "Up to £43,772", "43772", "YEAR", "GBP", "",
		"2126-01-01", "Ely", "Cambs", "UK", "", "", "", "PER_DIEM", "", "Nursing & Midwifery Registered", "http://x.uk/1")
	f.Add("r", "<b>x</b>", "<script>", "Band 9", "2000", "MONTH", "EUR", "2026-10-31", "x", "Atlantis", "", "FR", "ZZ1 1ZZ",
		"NaN", "Inf", "", "99", "", "ftp://x")
	g := geo.Default()
	f.Fuzz(func(t *testing.T, ref, title, description, salary, salaryMin, unit, currency, closing, posted,
		town, region, country, postcode, lat, lon, contract, hours, category, url string) {
		item := formats.Item{
			Reference: ref, Title: title, Description: description, Salary: salary, SalaryMin: salaryMin,
			SalaryUnit: unit, SalaryCurrency: currency, ClosingDate: closing, PostedDate: posted,
			Locations: []formats.Location{{Town: town, Region: region, Country: country, Postcode: postcode, Lat: lat, Lon: lon}},
			Contract:  contract, Hours: hours, Category: category, URL: url,
		}
		v, err := Vacancy(item, Context{PartnerID: 1, Gazetteer: g, Today: today})
		if err != nil {
			var r *Rejection
			if !errors.As(err, &r) || r.Field == "" || r.Reason == "" {
				t.Fatalf("Vacancy error %#v is not a Rejection with a field and a reason", err)
			}
			return
		}
		if errs := v.Validate(); len(errs) > 0 {
			t.Fatalf("Vacancy returned an invalid vacancy: %v\n%+v", errs, v)
		}
	})
}
