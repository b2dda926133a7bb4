package normalise

import (
	"maps"
	"slices"
	"strings"

	"github.com/regionalcareers/portal/internal/vacancies"
)

// StaffGroup finds the staff group slug for a feed's category and a job
// title: the feed's own mapping m (category → slug or label, any case)
// first, then the categories feeds commonly send, then words in the title,
// then words in the category. Words match whole: "OT" is an occupational
// therapist, "pivot" is not. It reports false when nothing fits.
func StaffGroup(category, title string, m map[string]string) (string, bool) {
	parts := categoryParts(category)
	for _, part := range parts {
		if slug, ok := mapped(m, part, vacancies.StaffGroups); ok {
			return slug, true
		}
	}
	for _, part := range parts {
		if slug, ok := categoryStaffGroups[strings.TrimSpace(words(part))]; ok {
			return slug, true
		}
		if slug, ok := term(vacancies.StaffGroups, part); ok {
			return slug, true
		}
	}
	if slug, ok := firstPhrase(words(title), titleStaffGroups); ok {
		return slug, true
	}
	return firstPhrase(words(category), titleStaffGroups)
}

// categoryParts is the whole category, then its parts: Indeed sends
// "Healthcare > Nursing", other feeds "Nursing, Healthcare".
func categoryParts(category string) []string {
	category = strings.TrimSpace(category)
	if category == "" {
		return nil
	}
	parts := []string{category}
	for _, part := range strings.FieldsFunc(category, func(r rune) bool { return strings.ContainsRune(",;|/>", r) }) {
		if part = strings.TrimSpace(part); part != "" && part != category {
			parts = append(parts, part)
		}
	}
	return parts
}

// mapped looks text up in a feed's mapping (keys in any case and spacing)
// and returns the slug it maps to, when that is a slug or label of list.
func mapped(m map[string]string, text string, list vacancies.Terms) (string, bool) {
	want := words(text)
	if len(m) == 0 || want == "  " {
		return "", false
	}
	for _, from := range slices.Sorted(maps.Keys(m)) { // sorted: two keys may differ only in case
		if words(from) == want {
			if slug, ok := term(list, m[from]); ok {
				return slug, true
			}
		}
	}
	return "", false
}

// term returns the slug for a slug or label of a controlled list, any case.
func term(list vacancies.Terms, value string) (string, bool) {
	value = strings.TrimSpace(value)
	for _, t := range list {
		if strings.EqualFold(t.Slug, value) || strings.EqualFold(t.Label, value) {
			return t.Slug, true
		}
	}
	return "", false
}

// categoryStaffGroups holds the categories feeds send, in words() form:
// NHS Jobs staff groups (including its truncated "Add Prof Scientific and
// Technic"), recruitment-system and Indeed categories. Broad ones such as
// "Healthcare" are left out on purpose so the title decides.
var categoryStaffGroups = func() map[string]string {
	groups := map[string][]string{
		"nursing-midwifery": {"nursing and midwifery registered", "nursing and midwifery", "nursing midwifery",
			"nursing", "midwifery", "nurse", "nurses", "registered nursing", "nursing jobs"},
		"allied-health": {"allied health professionals", "allied health professional", "allied health", "ahp", "ahps",
			"therapies", "therapy", "allied health professions"},
		"medical-dental": {"medical and dental", "medical", "medicine", "doctors", "medical staff", "medical and dental staff"},
		"healthcare-science": {"healthcare scientists", "healthcare science", "healthcare scientist", "science",
			"pathology", "laboratory"},
		"scientific-technical": {"add prof scientific and technic", "additional professional scientific and technical",
			"additional professional scientific and technical staff", "scientific and technical", "scientific technical",
			"pharmacy", "pharmaceutical", "psychology", "psychological therapies"},
		"additional-clinical": {"additional clinical services", "additional clinical", "clinical support",
			"healthcare support", "health care support"},
		"admin-clerical": {"administrative and clerical", "admin and clerical", "administration", "administrative", "admin",
			"clerical", "administration and secretarial", "secretarial", "finance", "accounting and finance", "accountancy",
			"human resources", "hr", "hr and recruitment", "it", "information technology", "management",
			"customer service", "customer services", "office", "administrative support"},
		"estates-ancillary": {"estates and ancillary", "estates", "ancillary", "facilities", "hotel services", "catering",
			"hospitality and catering", "hospitality", "cleaning", "cleaning and facilities", "domestic", "maintenance",
			"driving", "transport", "logistics", "trade and construction", "trades", "security"},
		"social-care": {"social care", "care", "social work", "care work", "adult social care", "domiciliary care",
			"home care", "residential care", "care and support", "care homes", "social services", "childrens social care",
			"care assistant", "care worker"},
	}
	table := map[string]string{}
	for slug, categories := range groups {
		for _, c := range categories {
			table[c] = slug
		}
	}
	return table
}()

// titleStaffGroups is checked in order, first match wins, so compound
// titles come before their parts ("Healthcare Support Worker" before
// "Support Worker"), admin job nouns before the clinical words beside them
// ("GP Receptionist"), and clinical words before "Consultant" ("Consultant
// Physiotherapist") and before managers and coordinators. A bare "Support
// Worker" is social care: NHS titles say "Healthcare" or "Clinical".
var titleStaffGroups = phraseTable([]struct {
	slug    string
	phrases []string
}{
	{"additional-clinical", []string{"healthcare assistant*", "health care assistant*", "hca", "hcas",
		"healthcare support worker*", "health care support worker*", "clinical support worker*",
		"maternity support worker*", "maternity care assistant*", "theatre support worker*", "nursing assistant*",
		"nursing auxiliary", "assistant practitioner*", "phlebotom*", "dental nurse*", "therapy assistant*",
		"therapies assistant*", "therapy support worker*", "physiotherapy assistant*", "occupational therapy assistant*",
		"rehabilitation assistant*", "emergency care assistant*", "ambulance care assistant*"}},
	{"admin-clerical", []string{"receptionist*", "secretary", "secretaries", "secretarial", "administrator*",
		"administrative", "administration", "admin", "clerk*", "clerical", "call handler*", "call taker*",
		"personal assistant*", "medical records", "data entry", "typist*"}},
	{"nursing-midwifery", []string{"nurse", "nurses", "nursing", "midwife", "midwives", "midwifery", "health visitor*",
		"rgn", "rmn", "rnld", "rn", "sister", "matron*", "ward manager*"}},
	{"scientific-technical", []string{"psycholog*", "psychotherapist*", "cbt therapist*", "pharmacist*",
		"pharmacy technician*", "pharmacy", "pharmaceutical"}},
	{"allied-health", []string{"physio", "physios", "physiotherap*", "occupational therapist*", "occupational therapy",
		"ot", "ots", "radiographer*", "radiography", "sonographer*", "paramedic*", "speech and language therap*",
		"salt", "slt", "dietitian*", "dietician*", "podiatrist*", "podiatry", "chiropodist*", "orthoptist*",
		"orthotist*", "prosthetist*", "odp", "odps", "operating department practitioner*", "osteopath*",
		"therapist*"}},
	{"healthcare-science", []string{"healthcare scientist*", "biomedical*", "clinical scientist*", "scientist*",
		"physiologist*", "audiologist*", "audiology", "perfusionist*", "medical physicist*", "laboratory", "lab",
		"cytologist*", "embryologist*"}},
	{"medical-dental", []string{"doctor*", "consultant*", "gp", "gps", "general practitioner*", "registrar*",
		"dentist*", "dental officer*", "dental surgeon*", "specialty doctor*", "speciality doctor*", "surgeon*",
		"physician*", "anaesthetist*", "psychiatrist*", "paediatrician*", "radiologist*", "clinical fellow*",
		"fy1", "fy2", "sho", "medical officer*", "orthodontist*"}},
	{"social-care", []string{"care worker*", "careworker*", "carer", "carers", "care assistant*", "senior carer*",
		"care and support worker*", "support worker*", "social worker*", "registered manager*", "care home manager*",
		"home manager*", "domiciliary*", "home care*", "care team leader*", "care supervisor*", "reablement*",
		"activities coordinator*", "activities co ordinator*", "personal care"}},
	{"estates-ancillary", []string{"porter*", "portering", "domestic*", "housekeep*", "cleaner*", "cleaning",
		"estates", "electrician*", "plumber*", "carpenter*", "joiner*", "chef*", "cook", "cooks", "catering",
		"kitchen*", "driver*", "gardener*", "groundsperson*", "maintenance", "handyperson*", "handyman",
		"security", "laundry", "facilities", "hotel services"}},
	{"admin-clerical", []string{"manager*", "coordinator*", "co ordinator*", "officer*", "finance", "financial",
		"accountant*", "accounts", "payroll", "hr", "human resources", "recruitment", "recruiter*", "analyst*",
		"project*", "programme*", "director*", "advisor*", "adviser*", "digital", "developer*", "governance",
		"procurement", "buyer*", "communications", "marketing", "executive*", "head of"}},
})

func phraseTable(groups []struct {
	slug    string
	phrases []string
}) []phraseValue {
	var table []phraseValue
	for _, g := range groups {
		for _, p := range g.phrases {
			table = append(table, phraseValue{p, g.slug})
		}
	}
	return table
}
