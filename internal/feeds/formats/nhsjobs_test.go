package formats

import (
	"errors"
	"reflect"
	"testing"
)

func TestNHSJobs_MatchesGoldenFiles(t *testing.T) {
	testGoldenSamples(t, NHSJobs, "nhsjobs")
}

func TestNHSJobs_ReadsEachLocationShape(t *testing.T) {
	tests := []struct {
		name, locations string
		want            []Location
	}{
		{"plain text", "<locations><location> Ely, CB6 1DN </location></locations>",
			[]Location{{Text: "Ely, CB6 1DN"}}},
		{"parts", "<locations><location><town>MARCH</town><county>Cambs</county><postcode>PE15 8AA</postcode><country>England</country></location></locations>",
			[]Location{{Town: "MARCH", Region: "Cambs", Postcode: "PE15 8AA", Country: "England"}}},
		{"text and parts", "<locations><location>Doddington Hospital <postcode>PE15 0UG</postcode></location></locations>",
			[]Location{{Text: "Doddington Hospital", Postcode: "PE15 0UG"}}},
		{"coordinates as text", "<location><city>Wisbech</city><lat>52.66</lat><lng>-.1593</lng></location>",
			[]Location{{Town: "Wisbech", Lat: "52.66", Lon: "-.1593"}}},
		{"several, one empty", "<locations><location>Ely</location><location> </location><location>March</location></locations>",
			[]Location{{Text: "Ely"}, {Text: "March"}}},
		{"a <locations> holding only text", "<locations>Hinchingbrooke Hospital</locations>",
			[]Location{{Text: "Hinchingbrooke Hospital"}}},
		{"none", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := "<nhsJobs><vacancyDetails><id>1</id>" + tt.locations + "</vacancyDetails></nhsJobs>"
			items, err := collect(NHSJobs, []byte(doc), Mapping{}, nil)
			if err != nil || len(items) != 1 {
				t.Fatalf("got %d items, err %v", len(items), err)
			}
			if !reflect.DeepEqual(items[0].Locations, tt.want) {
				t.Errorf("got %+v, want %+v", items[0].Locations, tt.want)
			}
		})
	}
}

func TestNHSJobs_MalformedDocumentsAreErrMalformed(t *testing.T) {
	for name, doc := range map[string]string{
		"an Indeed feed":     "<source><job><title>x</title></job></source>",
		"text":               "Service Unavailable",
		"cut short":          "<nhsJobs><vacancyDetails><id>1</id></vacancyDetails><vacancyDetails><id>2</id>",
		"broken after a job": "<nhsJobs><vacancyDetails><id>1</id></vacancyDetails><vacancyDetails><id 2</id></vacancyDetails></nhsJobs>",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := collect(NHSJobs, []byte(doc), Mapping{}, nil); !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v, want ErrMalformed", err)
			}
		})
	}
}
