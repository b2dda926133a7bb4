package search

import "strings"

// synonymGroups are words people use for the same job. Every term in a
// group finds the others. Admins will extend this list from the console.
var synonymGroups = [][]string{
	{"hca", "healthcare assistant", "health care assistant", "care assistant", "support worker", "healthcare support worker", "hcsw", "nursing assistant"},
	{"rn", "registered nurse", "staff nurse", "rgn"},
	{"rmn", "mental health nurse", "registered mental health nurse", "psychiatric nurse"},
	{"rnld", "learning disability nurse", "learning disabilities nurse"},
	{"physio", "physiotherapist", "physiotherapy"},
	{"ot", "occupational therapist", "occupational therapy"},
	{"salt", "slt", "speech and language therapist", "speech therapist", "speech and language therapy"},
	{"odp", "operating department practitioner"},
	{"gp", "general practitioner", "family doctor"},
	{"paramedic", "ambulance paramedic"},
	{"phlebotomist", "phlebotomy"},
	{"admin", "administrator", "administrative", "administration"},
	{"afc", "agenda for change"},
	{"carer", "care worker", "domiciliary care worker", "home carer"},
	{"midwife", "midwifery"},
	{"receptionist", "reception"},
	{"ahp", "allied health professional"},
	{"hcpc", "health and care professions council"},
	{"nmc", "nursing and midwifery council"},
	{"anp", "advanced nurse practitioner"},
	{"ecp", "emergency care practitioner"},
	{"emt", "emergency medical technician"},
	{"hr", "human resources"},
}

// Synonyms returns the Meilisearch synonym map: each term maps to the rest
// of its group (Meilisearch synonyms are one-way, so both directions are
// written out).
func Synonyms() map[string][]string {
	out := map[string][]string{}
	for _, group := range synonymGroups {
		for _, term := range group {
			for _, other := range group {
				if other != term {
					out[term] = append(out[term], other)
				}
			}
		}
	}
	return out
}

// abbreviations are the single-word synonyms of four letters or fewer;
// typos are switched off for them.
func abbreviations() []string {
	var words []string
	for _, group := range synonymGroups {
		for _, term := range group {
			if len(term) <= 4 && !strings.Contains(term, " ") {
				words = append(words, term)
			}
		}
	}
	return words
}
