package normalise

import (
	"reflect"
	"testing"

	"github.com/regionalcareers/portal/internal/feeds/formats"
)

func TestCheckMapping_AcceptsAGoodMapping(t *testing.T) {
	m := formats.Mapping{
		StaffGroups: map[string]string{"Care Staff": "social-care", "Therapies": "Allied health professionals"},
		Contracts:   map[string]string{"Staff Bank": "bank", "Full-time": "full-time"},
		Patterns:    map[string]string{"Earlies": "flexible"},
		Defaults: map[string]string{"closing_days": "14", "contract": "permanent", "pattern": "full-time, nights",
			"hours": "37.5", "staff_group": "social-care", "location": "Wisbech", "pay": "Competitive"},
	}
	if errs := CheckMapping(m, nil); len(errs) > 0 {
		t.Errorf("CheckMapping = %v, want no errors", errs)
	}
}

func TestCheckMapping_NamesWhatWouldBeIgnored(t *testing.T) {
	m := formats.Mapping{
		StaffGroups: map[string]string{"Care Staff": "carers"},
		Contracts:   map[string]string{"Staff Bank": "agency"},
		Defaults: map[string]string{"closing_days": "100 years", "location": "Atlantis", "hours": "lots",
			"pattern": "full-time, evenings", "colour": "blue"},
	}
	want := map[string]string{
		"staff_groups.Care Staff": `"carers" is not a staff group`,
		"contracts.Staff Bank":    `"agency" is not a contract type or working pattern`,
		"defaults.closing_days":   "Closing days must be a whole number from 1 to 365",
		"defaults.location":       `"Atlantis" is not a place or postcode we know`,
		"defaults.hours":          "Hours must be hours per week between 1 and 60",
		"defaults.pattern":        `"evenings" is not a working pattern`,
		"defaults.colour":         `"colour" is not a default we use (we use closing_days, contract, hours, location, pattern, pay, staff_group)`,
	}
	if got := CheckMapping(m, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("CheckMapping =\n%v\nwant\n%v", got, want)
	}
}
