package search

import (
	"net/url"
	"testing"

	"github.com/regionalcareers/portal/internal/geo"
)

func TestParseVacancyQuery_NamesTheBadParameter(t *testing.T) {
	for _, tc := range []struct{ query, param string }{
		{"location=Atlantis", "location"},
		{"location=Ely&distance=far", "distance"},
		{"location=Ely&distance=0", "distance"},
		{"sort=cheapest", "sort"},
		{"sort=distance", "sort"},
		{"page=0", "page"},
		{"page=abc", "page"},
		{"staff_group=astronauts", "staff_group"},
		{"band=12", "band"},
		{"partner=Not+A+Slug", "partner"},
		{"passport=maybe", "passport"},
	} {
		values, _ := url.ParseQuery(tc.query)
		_, err := ParseVacancyQuery(values, geo.Default())
		if pe := FirstParamError(err); pe == nil || pe.Parameter != tc.param {
			t.Errorf("%s: got %v, want an error naming %s", tc.query, err, tc.param)
		}
	}
}

func TestParseVacancyQuery_RoundTripsThroughTheURL(t *testing.T) {
	raw := "band=5&band=6&distance=15&location=Ely&page=2&pattern=nights&q=nurse&sort=closing&staff_group=nursing-midwifery"
	values, _ := url.ParseQuery(raw)
	q, err := ParseVacancyQuery(values, geo.Default())
	if err != nil {
		t.Fatal(err)
	}
	if q.Place == nil || q.Place.Name != "Ely" || q.Distance != 15 {
		t.Errorf("place %v distance %d", q.Place, q.Distance)
	}
	if got := q.Encode(); got != raw {
		t.Errorf("encode = %s\nwant     %s", got, raw)
	}
	if got := q.Toggle("band", "5").Encode(); got != "band=6&distance=15&location=Ely&pattern=nights&q=nurse&sort=closing&staff_group=nursing-midwifery" {
		t.Errorf("toggle off band 5 = %s", got)
	}
}

func TestEffectiveSort_DependsOnWhatWasAsked(t *testing.T) {
	ely, _ := geo.Default().Lookup("Ely")
	for _, tc := range []struct {
		q    VacancyQuery
		want string
	}{
		{VacancyQuery{}, SortNewest},
		{VacancyQuery{Q: "nurse"}, SortRelevance},
		{VacancyQuery{Place: &ely}, SortDistance},
		{VacancyQuery{Q: "nurse", Sort: SortClosing}, SortClosing},
	} {
		if got := tc.q.EffectiveSort(); got != tc.want {
			t.Errorf("%+v: got %s, want %s", tc.q, got, tc.want)
		}
	}
}

// FuzzParseVacancyQuery: whatever the URL holds, parsing never panics, and
// a query that parses encodes back to parameters that parse to the same.
func FuzzParseVacancyQuery(f *testing.F) {
	for _, seed := range []string{"q=nurse&location=Ely&distance=5", "band=5&band=6&page=2", "location=PE13+1AB&sort=distance",
		"q=%00%ff", "partner=a--b", "distance=-1&location=x", "staff_group=nursing-midwifery&staff_group=nursing-midwifery"} {
		f.Add(seed)
	}
	gaz := geo.Default()
	f.Fuzz(func(t *testing.T, raw string) {
		values, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseVacancyQuery(values, gaz)
		if err != nil {
			if FirstParamError(err) == nil {
				t.Fatalf("error without a parameter: %v", err)
			}
			return
		}
		again, err := ParseVacancyQuery(q.Values(), gaz)
		if err != nil || again.Encode() != q.Encode() {
			t.Fatalf("round trip of %q: %q then %q (%v)", raw, q.Encode(), again.Encode(), err)
		}
	})
}
