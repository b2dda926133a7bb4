package normalise

import (
	"reflect"
	"strings"
	"testing"

	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/vacancies"
)

func TestLocations_PlacesWhatFeedsSend(t *testing.T) {
	tests := []struct {
		name string
		locs []formats.Location
		want []vacancies.Location
	}{
		{"coordinates as strings, upper-case town, postcode spaced",
			[]formats.Location{{Town: "WISBECH", Postcode: "pe131aa", Lat: "52.66", Lon: "-.262406"}},
			[]vacancies.Location{{Name: "Wisbech", Postcode: "PE13 1AA", Lat: 52.66, Lon: -0.262406}}},
		{"the gazetteer's spelling of a town it knows",
			[]formats.Location{{Town: "KINGS LYNN", Lat: "52.75", Lon: "0.40"}},
			[]vacancies.Location{{Name: "King's Lynn", Lat: 52.75, Lon: 0.40}}},
		{"an unknown upper-case name is title-cased",
			[]formats.Location{{Town: "ADDENBROOKE'S HOSPITAL", Lat: "52.17", Lon: "0.14"}},
			[]vacancies.Location{{Name: "Addenbrooke's Hospital", Lat: 52.17, Lon: 0.14}}},
		{"postcode through the gazetteer, named by the town",
			[]formats.Location{{Town: "Wisbech", Postcode: "PE13 1AA"}},
			[]vacancies.Location{{Name: "Wisbech", Postcode: "PE13 1AA", Lat: 52.66978, Lon: 0.13853}}},
		{"postcode alone",
			[]formats.Location{{Postcode: "cb2 0qq"}},
			[]vacancies.Location{{Name: "CB2 0QQ", Postcode: "CB2 0QQ", Lat: 52.16424, Lon: 0.12783}}},
		{"town and county text",
			[]formats.Location{{Text: "Ely, Cambridgeshire"}},
			[]vacancies.Location{{Name: "Ely", Postcode: "CB7", Lat: 52.39961, Lon: 0.26251}}},
		{"street then town",
			[]formats.Location{{Text: "Hills Road, Cambridge"}},
			[]vacancies.Location{{Name: "Cambridge", Postcode: "CB2", Lat: 52.20486, Lon: 0.11968}}},
		{"0,0 means no coordinates",
			[]formats.Location{{Town: "Wisbech", Lat: "0", Lon: "0"}},
			[]vacancies.Location{{Name: "Wisbech", Postcode: "PE13", Lat: 52.66441, Lon: 0.16184}}},
		{"identical locations once",
			[]formats.Location{{Town: "Wisbech"}, {Town: "WISBECH"}, {Text: "Wisbech"}},
			[]vacancies.Location{{Name: "Wisbech", Postcode: "PE13", Lat: 52.66441, Lon: 0.16184}}},
		{"an unknown place beside a known one is dropped",
			[]formats.Location{{Town: "Atlantis"}, {Town: "Ely"}},
			[]vacancies.Location{{Name: "Ely", Postcode: "CB7", Lat: 52.39961, Lon: 0.26251}}},
		{"town and region apart",
			[]formats.Location{{Town: "St Ives", Region: "Cornwall", Country: "GB"}},
			[]vacancies.Location{{Name: "St Ives", Postcode: "TR26", Lat: 50.21143, Lon: -5.48077}}},
		{"blank locations are no locations",
			[]formats.Location{{}, {Town: "  "}, {Town: "Ely"}},
			[]vacancies.Location{{Name: "Ely", Postcode: "CB7", Lat: 52.39961, Lon: 0.26251}}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got, r := locations(test.locs, "", nil)
			if r != nil || !reflect.DeepEqual(got, test.want) {
				t.Errorf("locations(%+v) = %+v, %v; want %+v", test.locs, got, r, test.want)
			}
			if msg := (vacancies.Vacancy{Locations: got}).Validate()["location"]; msg != "" {
				t.Errorf("locations are invalid: %s", msg)
			}
		})
	}
}

func TestLocations_UsesTheFeedsDefaultWhenTheItemHasNone(t *testing.T) {
	got, r := locations(nil, "Ely, Cambridgeshire", nil)
	if r != nil || len(got) != 1 || got[0].Name != "Ely" {
		t.Errorf("locations(nil, default Ely) = %+v, %v", got, r)
	}
	_, r = locations(nil, "Atlantis", nil)
	if r == nil || r.Reason != `unknown location "Atlantis" (the feed's default location)` {
		t.Errorf("unknown default: rejection %v", r)
	}
	_, r = locations(nil, "", nil)
	if r == nil || r.Field != "location" {
		t.Errorf("no location and no default: rejection %v, want one on location", r)
	}
}

func TestLocations_RejectsUnknownPlaces(t *testing.T) {
	_, r := locations([]formats.Location{{Town: "Atlantis"}}, "Ely", nil)
	if r == nil || r.Field != "location" || r.Reason != `unknown location "Atlantis"` {
		t.Errorf("rejection = %#v, want unknown location \"Atlantis\"", r)
	}
}

func TestLocations_RejectsCoordinatesOutsideGreatBritain(t *testing.T) {
	for _, loc := range []formats.Location{
		{Town: "Paris", Lat: "48.8566", Lon: "2.3522"},
		{Town: "Ely", Lat: "0.26251", Lon: "52.39961"}, // swapped
		{Town: "Ely", Lat: "152.4", Lon: "0.26"},
		{Town: "Paris", Country: "FR"},
		{Town: "Dublin", Country: "Ireland"},
	} {
		_, r := locations([]formats.Location{loc, {Town: "Wisbech"}}, "", nil)
		if r == nil || r.Field != "location" || !strings.Contains(r.Reason, "outside Great Britain") {
			t.Errorf("locations(%+v) rejection = %v, want outside Great Britain", loc, r)
		}
	}
}

func TestNormalisePostcode(t *testing.T) {
	tests := map[string]string{
		"cb2 0qq": "CB2 0QQ", "CB20QQ": "CB2 0QQ", " PE13  1AA ": "PE13 1AA", "pe13": "PE13", "SW1A 1AA": "SW1A 1AA",
		"": "", "Cambridge": "", "12345": "", "CB2 0Q": "",
	}
	for in, want := range tests {
		if got := normalisePostcode(in); got != want {
			t.Errorf("normalisePostcode(%q) = %q, want %q", in, got, want)
		}
	}
}
