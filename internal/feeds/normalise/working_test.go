package normalise

import (
	"slices"
	"testing"

	"github.com/regionalcareers/portal/internal/feeds/formats"
)

func TestWorkingTerms_ReadsFeedWords(t *testing.T) {
	tests := []struct {
		contract, pattern, hours, title string
		wantContract                    string
		wantPatterns                    []string
		wantHours                       float64
	}{
		{"Permanent", "", "", "Nurse", "permanent", []string{"full-time"}, 37.5},
		{"Perm", "", "", "Nurse", "permanent", []string{"full-time"}, 37.5},
		{"Full-time", "", "", "Nurse", "permanent", []string{"full-time"}, 37.5},
		{"FULL_TIME", "", "", "Nurse", "permanent", []string{"full-time"}, 37.5},
		{"Part-time", "", "", "Nurse", "permanent", []string{"part-time"}, 22.5},
		{"PART_TIME", "", "", "Nurse", "permanent", []string{"part-time"}, 22.5},
		{"Fixed term", "", "", "Nurse", "fixed-term", []string{"full-time"}, 37.5},
		{"Fixed-Term: 12 months", "", "", "Nurse", "fixed-term", []string{"full-time"}, 37.5},
		{"Temporary", "", "", "Nurse", "fixed-term", []string{"full-time"}, 37.5},
		{"TEMPORARY", "", "", "Nurse", "fixed-term", []string{"full-time"}, 37.5},
		{"Contract", "", "", "Nurse", "fixed-term", []string{"full-time"}, 37.5},
		{"Permanent contract", "", "", "Nurse", "permanent", []string{"full-time"}, 37.5},
		{"Bank", "", "", "Nurse", "bank", []string{"full-time"}, 37.5},
		{"PER_DIEM", "", "", "Nurse", "bank", []string{"full-time"}, 37.5},
		{"Apprenticeship", "", "", "Nurse", "apprenticeship", []string{"full-time"}, 37.5},
		{"INTERN", "", "", "Nurse", "apprenticeship", []string{"full-time"}, 37.5},
		{"Secondment", "", "", "Nurse", "secondment", []string{"full-time"}, 37.5},
		{"Rotational", "", "", "Nurse", "rotation", []string{"full-time"}, 37.5},
		{"Permanent", "Nights", "", "Nurse", "permanent", []string{"nights"}, 37.5}, // full time is assumed only when nothing is said
		{"Permanent", "Weekends", "16", "Nurse", "permanent", []string{"part-time", "weekends"}, 16},
		{"Permanent", "Term time", "", "Nurse", "permanent", []string{"term-time"}, 37.5},
		{"Permanent", "Job share", "", "Nurse", "permanent", []string{"job-share"}, 37.5},
		{"Permanent", "Flexible working", "", "Nurse", "permanent", []string{"flexible"}, 37.5},
		{"FULL_TIME, PART_TIME", "", "", "Nurse", "permanent", []string{"full-time", "part-time"}, 37.5},
		{"Permanent", "Full time", "37.5 hours per week", "Nurse", "permanent", []string{"full-time"}, 37.5},
		{"", "", "22.5hrs", "Nurse", "permanent", []string{"part-time"}, 22.5},
		{"", "", "37,5", "Nurse", "permanent", []string{"full-time"}, 37.5},
		{"", "", "Up to 40 hours", "Nurse", "permanent", []string{"full-time"}, 40},
		{"", "", "7.5 hours per day", "Nurse", "permanent", []string{"full-time"}, 37.5}, // not weekly: not converted
		{"", "", "Monday to Friday 9am to 5pm", "Nurse", "permanent", []string{"full-time"}, 37.5},
		{"", "", "Full Time", "Nurse", "permanent", []string{"full-time"}, 37.5},
		{"", "", "", "Bank Staff Nurse", "bank", []string{"full-time"}, 37.5},
		{"", "", "", "Rotational Physiotherapist", "rotation", []string{"full-time"}, 37.5},
		{"", "", "", "Apprentice HCA", "apprenticeship", []string{"full-time"}, 37.5},
		{"", "", "", "Night Care Assistant - Part Time", "permanent", []string{"part-time", "nights"}, 22.5},
		{"", "", "", "Blood Bank Scientist", "permanent", []string{"full-time"}, 37.5},
		{"Permanent", "", "", "Bank Holiday Cover Nurse", "permanent", []string{"full-time"}, 37.5},
		{"Permanent", "", "", "Rotational Physiotherapist", "permanent", []string{"full-time"}, 37.5}, // the field wins
	}
	for _, test := range tests {
		item := formats.Item{Contract: test.contract, Pattern: test.pattern, Hours: test.hours, Title: test.title}
		got := workingTerms(item, formats.Mapping{})
		if got.contract != test.wantContract || !slices.Equal(got.patterns, test.wantPatterns) || got.hours != test.wantHours {
			t.Errorf("workingTerms(contract %q, pattern %q, hours %q, title %q) = %+v; want %s %v %v",
				test.contract, test.pattern, test.hours, test.title, got, test.wantContract, test.wantPatterns, test.wantHours)
		}
	}
}

func TestWorkingTerms_UsesTheFeedsMappingAndDefaults(t *testing.T) {
	m := formats.Mapping{
		Contracts: map[string]string{"Substantive Post": "permanent", "Staff Bank": "bank", "Zero Hours": "Bank"},
		Patterns:  map[string]string{"Earlies": "flexible", "Lates": "flexible"},
		Defaults:  map[string]string{"contract": "fixed-term", "pattern": "part-time", "hours": "20"},
	}
	tests := []struct {
		contract, pattern, hours string
		wantContract             string
		wantPatterns             []string
		wantHours                float64
	}{
		{"Staff Bank", "", "", "bank", []string{"part-time"}, 20},
		{"zero hours", "Earlies / Lates", "", "bank", []string{"part-time", "flexible"}, 20},
		{"", "", "", "fixed-term", []string{"part-time"}, 20},
		{"", "Full time", "", "fixed-term", []string{"full-time"}, 37.5}, // 20 hours would contradict full time
		{"", "", "37.5", "fixed-term", []string{"full-time"}, 37.5},
	}
	for _, test := range tests {
		item := formats.Item{Contract: test.contract, Pattern: test.pattern, Hours: test.hours, Title: "Nurse"}
		got := workingTerms(item, m)
		if got.contract != test.wantContract || !slices.Equal(got.patterns, test.wantPatterns) || got.hours != test.wantHours {
			t.Errorf("workingTerms(%q, %q, %q) = %+v; want %s %v %v", test.contract, test.pattern, test.hours, got,
				test.wantContract, test.wantPatterns, test.wantHours)
		}
	}
}
