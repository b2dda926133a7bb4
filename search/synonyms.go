package search

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/meilisearch/meilisearch-go"
)

// defaultSynonyms are words people use for the same job. Every term in a
// group finds the others. They seed the groups admins edit (package
// synonyms stores those); the index is built from the stored groups.
var defaultSynonyms = [][]string{
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

// DefaultSynonyms returns a copy of the built-in synonym groups, the seed
// of the stored ones.
func DefaultSynonyms() [][]string {
	out := make([][]string, len(defaultSynonyms))
	for i, g := range defaultSynonyms {
		out[i] = slices.Clone(g)
	}
	return out
}

// Synonyms returns the Meilisearch synonym map of groups: each term maps to
// the rest of its group (Meilisearch synonyms are one-way, so both
// directions are written out).
func Synonyms(groups [][]string) map[string][]string {
	out := map[string][]string{}
	for _, group := range groups {
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
func abbreviations(groups [][]string) []string {
	var words []string
	for _, group := range groups {
		for _, term := range group {
			if len(term) <= 4 && !strings.Contains(term, " ") {
				words = append(words, term)
			}
		}
	}
	return words
}

// SynonymSource returns the synonym groups in force.
type SynonymSource func(context.Context) ([][]string, error)

// SetSynonymSource makes the client build and rebuild the vacancies index
// with the groups source returns (the admins' stored groups) instead of
// DefaultSynonyms. Call it before the client is used.
func (c *Client) SetSynonymSource(source SynonymSource) { c.synonymSource = source }

// synonyms returns the groups in force: the source's, or the defaults when
// there is no source or it has none (nothing stored yet).
func (c *Client) synonyms(ctx context.Context) ([][]string, error) {
	if c.synonymSource == nil {
		return DefaultSynonyms(), nil
	}
	groups, err := c.synonymSource(ctx)
	if err != nil {
		return nil, fmt.Errorf("load search synonyms: %w", err)
	}
	if len(groups) == 0 {
		return DefaultSynonyms(), nil
	}
	return groups, nil
}

// ApplySynonyms sets groups as the synonyms of the live vacancies index,
// with the typo settings that depend on them, and waits for Meilisearch to
// finish. Nothing else in the settings changes.
func (c *Client) ApplySynonyms(ctx context.Context, groups [][]string) error {
	return c.applySynonymsTo(ctx, c.VacanciesIndex(), vacancySettings(groups))
}

// applySynonymsTo applies the synonyms and typo settings of settings to
// the live index uid, creating it with every setting when it is missing
// (never with synonyms alone, so documents never meet default settings).
func (c *Client) applySynonymsTo(ctx context.Context, uid string, settings *meilisearch.Settings) error {
	if _, err := c.ms.GetIndex(ctx, uid); err != nil {
		return c.ensureIndex(ctx, uid, settings)
	}
	index := c.ms.Index(uid)
	info, err := index.UpdateSettings(ctx, &meilisearch.Settings{Synonyms: settings.Synonyms, TypoTolerance: settings.TypoTolerance})
	if err := c.wait(ctx, info, err); err != nil {
		return fmt.Errorf("apply synonyms to %s: %w", uid, err)
	}
	if len(settings.Synonyms) == 0 { // an empty map is left out of the update above
		info, err := index.ResetSynonyms(ctx)
		if err := c.wait(ctx, info, err); err != nil {
			return fmt.Errorf("clear synonyms of %s: %w", uid, err)
		}
	}
	return nil
}
