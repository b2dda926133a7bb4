package formats

import (
	"errors"
	"strings"
	"testing"
)

func TestCSV_MatchesGoldenFiles(t *testing.T) {
	testGoldenSamples(t, CSV, "csv")
}

func TestCSV_ReadsRowsAsMapped(t *testing.T) {
	tests := []struct {
		name, doc string
		m         Mapping
		check     func(Item) bool
	}{
		{"headers match trimmed and in any case",
			"  REF ,Title\nR1,Porter\n", Mapping{Fields: map[string]string{"reference": "ref", "title": " title "}},
			func(it Item) bool { return it.Reference == "R1" && it.Title == "Porter" }},
		{"tab delimiter",
			"ref\ttitle\nR1\tPorter\n", Mapping{Fields: map[string]string{"title": "title"}, Delimiter: `\t`},
			func(it Item) bool { return it.Title == "Porter" }},
		{"places split at semicolons and matched by position",
			"town,postcode,region\nEly; March,CB6 1DN;PE15 8AA,Cambs\n",
			Mapping{Fields: map[string]string{"town": "town", "postcode": "postcode", "region": "region"}},
			func(it Item) bool {
				return len(it.Locations) == 2 && it.Locations[1] == Location{Town: "March", Postcode: "PE15 8AA", Region: "Cambs"}
			}},
		{"a bare quote inside a field",
			"title,ref\nMoving 5\" screens,R1\n", Mapping{Fields: map[string]string{"title": "title", "reference": "ref"}},
			func(it Item) bool { return it.Title == `Moving 5" screens` && it.Reference == "R1" }},
		{"no mapping: columns named after fields",
			"Title,Closing\nPorter,2025-03-31\n", Mapping{},
			func(it Item) bool { return it.Title == "Porter" && it.ClosingDate == "2025-03-31" }},
		{"trailing empty cells are not extra fields",
			"ref,title\nR1,Porter,,,\n", Mapping{Fields: map[string]string{"title": "title"}},
			func(it Item) bool { return it.Problem == "" }},
		{"a short row is a problem item",
			"ref,title,salary\nR1,Porter\n", Mapping{Fields: map[string]string{"reference": "ref", "title": "title"}},
			func(it Item) bool {
				return it.Problem == "the row has 2 fields but the header row has 3" && it.Reference == "R1"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := collect(CSV, []byte(tt.doc), tt.m, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkItems(t, items)
			if len(items) != 1 || !tt.check(items[0]) {
				t.Errorf("got %+v", items)
			}
		})
	}
}

func TestCSV_RefusesWhatItCannotMap(t *testing.T) {
	tests := []struct {
		name, doc string
		m         Mapping
		malformed bool
		mention   string
	}{
		{"a mapped header is missing", "ref,title\nR1,Porter\n",
			Mapping{Fields: map[string]string{"title": "title", "closing": "Closing Date"}}, true, `"Closing Date" (for closing)`},
		{"empty document", "", Mapping{Fields: map[string]string{"title": "title"}}, true, "empty"},
		{"no column named after a field", "a,b\n1,2\n", Mapping{}, true, "no column"},
		{"unknown field in the mapping", "title\nPorter\n",
			Mapping{Fields: map[string]string{"titel": "title"}}, false, "unknown fields titel"},
		{"a delimiter that cannot be one", "title\nPorter\n",
			Mapping{Fields: map[string]string{"title": "title"}, Delimiter: `"`}, false, "delimiter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := collect(CSV, []byte(tt.doc), tt.m, nil)
			if err == nil || errors.Is(err, ErrMalformed) != tt.malformed || !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("err = %v; want one mentioning %q (ErrMalformed: %v)", err, tt.mention, tt.malformed)
			}
		})
	}
}
