package normalise

import "testing"

func TestStaffGroup_UsesTheFeedsMappingFirst(t *testing.T) {
	m := map[string]string{"Care Staff": "social-care", "Therapies": "Allied health professionals", "Broken": "nonsense"}
	tests := []struct {
		category, title, want string
		ok                    bool
	}{
		{"care staff", "Staff Nurse", "social-care", true}, // the mapping beats the title
		{"  CARE   STAFF ", "", "social-care", true},
		{"Therapies", "", "allied-health", true}, // a label works as well as a slug
		{"Broken", "Staff Nurse", "nursing-midwifery", true},
		{"Healthcare > Care Staff", "", "social-care", true},
	}
	for _, test := range tests {
		got, ok := StaffGroup(test.category, test.title, m)
		if got != test.want || ok != test.ok {
			t.Errorf("StaffGroup(%q, %q) = %q, %v; want %q, %v", test.category, test.title, got, ok, test.want, test.ok)
		}
	}
}

func TestStaffGroup_KnowsCommonCategories(t *testing.T) {
	tests := map[string]string{
		"Nursing":                          "nursing-midwifery",
		"Nursing & Midwifery Registered":   "nursing-midwifery",
		"Nursing and Midwifery Registered": "nursing-midwifery",
		"Allied Health Professionals":      "allied-health",
		"Admin & Clerical":                 "admin-clerical",
		"Administrative and Clerical":      "admin-clerical",
		"Healthcare Scientists":            "healthcare-science",
		"Medical & Dental":                 "medical-dental",
		"Medical and Dental":               "medical-dental",
		"Estates & Ancillary":              "estates-ancillary",
		"Additional Clinical Services":     "additional-clinical",
		"Social Care":                      "social-care",
		"Add Prof Scientific and Technic":  "scientific-technical",
		"Healthcare > Nursing":             "nursing-midwifery",
		"Nursing, Healthcare":              "nursing-midwifery",
		"nursing-midwifery":                "nursing-midwifery",
		"Hospitality & Catering":           "estates-ancillary",
	}
	for category, want := range tests {
		if got, ok := StaffGroup(category, "", nil); got != want || !ok {
			t.Errorf("StaffGroup(%q) = %q, %v; want %q", category, got, ok, want)
		}
	}
}

func TestStaffGroup_ReadsTheTitleWhenTheCategoryIsBroad(t *testing.T) {
	tests := map[string]string{
		"Staff Nurse - Ward 5":                   "nursing-midwifery",
		"Community Midwife":                      "nursing-midwifery",
		"Band 6 Nurse Consultant":                "nursing-midwifery",
		"Rotational Physiotherapist":             "allied-health",
		"Occupational Therapist":                 "allied-health",
		"Band 5 OT":                              "allied-health",
		"Diagnostic Radiographer":                "allied-health",
		"Paramedic":                              "allied-health",
		"Speech and Language Therapist":          "allied-health",
		"SALT":                                   "allied-health",
		"Dietitian":                              "allied-health",
		"Podiatrist":                             "allied-health",
		"ODP - Theatres":                         "allied-health",
		"Consultant Physiotherapist":             "allied-health",
		"Consultant Anaesthetist":                "medical-dental",
		"Salaried GP":                            "medical-dental",
		"Specialty Doctor in Psychiatry":         "medical-dental",
		"Speciality Registrar":                   "medical-dental",
		"Dentist":                                "medical-dental",
		"Biomedical Scientist":                   "healthcare-science",
		"Cardiac Physiologist":                   "healthcare-science",
		"Phlebotomist":                           "additional-clinical",
		"Pharmacist":                             "scientific-technical",
		"Pharmacy Technician":                    "scientific-technical",
		"Clinical Psychologist":                  "scientific-technical",
		"Healthcare Assistant":                   "additional-clinical",
		"HCA - Nights":                           "additional-clinical",
		"Health Care Assistant":                  "additional-clinical",
		"Healthcare Support Worker":              "additional-clinical",
		"Care Worker":                            "social-care",
		"Carer":                                  "social-care",
		"Care Assistant":                         "social-care",
		"Senior Carer (Nights)":                  "social-care",
		"Support Worker":                         "social-care",
		"Social Worker - Adults":                 "social-care",
		"Registered Manager":                     "social-care",
		"GP Receptionist":                        "admin-clerical",
		"Doctors' Receptionist":                  "admin-clerical",
		"Medical Secretary":                      "admin-clerical",
		"Ward Clerk":                             "admin-clerical",
		"Patient Flow Coordinator":               "admin-clerical",
		"Finance Manager":                        "admin-clerical",
		"HR Advisor":                             "admin-clerical",
		"Pivot Table Analyst":                    "admin-clerical", // "ot" inside "pivot" is no OT
		"Hospital Porter":                        "estates-ancillary",
		"Domestic Assistant":                     "estates-ancillary",
		"Housekeeper":                            "estates-ancillary",
		"Estates Electrician":                    "estates-ancillary",
		"Chef":                                   "estates-ancillary",
		"Catering Assistant":                     "estates-ancillary",
		"Driver":                                 "estates-ancillary",
		"Deputy Ward Manager (Registered Nurse)": "nursing-midwifery",
	}
	for title, want := range tests {
		if got, ok := StaffGroup("Healthcare", title, nil); got != want || !ok {
			t.Errorf("StaffGroup(Healthcare, %q) = %q, %v; want %q", title, got, ok, want)
		}
	}
}

func TestStaffGroup_ReportsFalseWhenNothingFits(t *testing.T) {
	for _, title := range []string{"", "Volunteer", "Pivot", "Spot the difference"} {
		if got, ok := StaffGroup("Healthcare", title, nil); ok {
			t.Errorf("StaffGroup(Healthcare, %q) = %q, want no staff group", title, got)
		}
	}
}
