package search

import (
	"context"
	"fmt"

	"github.com/meilisearch/meilisearch-go"
)

// Facet attributes of the vacancies index, in the order the page shows them.
const (
	attrStaffGroup  = "staff_group"
	attrBand        = "band"
	attrContract    = "contract"
	attrPatterns    = "patterns"
	attrPartner     = "partner_slug"
	attrPartnerType = "partner_type"
	attrSalary      = "salary_range"
	attrPassport    = "passport"
)

// vacancySettings are declared here and applied before any document is
// added, so a fresh or rebuilt index never serves with default settings.
// Only the synonyms, and the typo exceptions drawn from them, are data.
func vacancySettings(groups [][]string) *meilisearch.Settings {
	return &meilisearch.Settings{
		// Most telling first: a match in the title beats one in the body.
		SearchableAttributes: []string{"title", "staff_group_label", "partner_name", "location_names", "band_label", "description"},
		DisplayedAttributes:  []string{"*"},
		FilterableAttributes: []string{
			attrStaffGroup, attrBand, attrContract, attrPatterns, attrPartner, attrPartnerType, attrSalary,
			attrPassport, "_geo", "closing", "posted", "id",
		},
		SortableAttributes: []string{"closing", "posted", "_geo", "title", "id"},
		// "sort" sits after "words" so a chosen order (closing soonest,
		// newest, nearest) holds among roles that match every word.
		RankingRules: []string{"words", "sort", "typo", "proximity", "attribute", "exactness"},
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 4, TwoTypos: 8},
			// Short job abbreviations are distinct words: "ot" must not match "rt".
			DisableOnWords:      abbreviations(groups),
			DisableOnAttributes: []string{"band_label"},
			DisableOnNumbers:    true,
		},
		Pagination: &meilisearch.Pagination{MaxTotalHits: 10000},
		Faceting:   &meilisearch.Faceting{MaxValuesPerFacet: 200},
		Synonyms:   Synonyms(groups),
		StopWords:  []string{"the", "a", "an", "and", "of", "in", "for", "to", "with"},
	}
}

// ensureIndex creates the index if missing and applies the settings,
// waiting for both tasks to succeed.
func (c *Client) ensureIndex(ctx context.Context, uid string, settings *meilisearch.Settings) error {
	if _, err := c.ms.GetIndex(ctx, uid); err != nil {
		info, err := c.ms.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
		if err := c.wait(ctx, info, err); err != nil {
			// Another process may have created it meanwhile; only then go on.
			if _, again := c.ms.GetIndex(ctx, uid); again != nil {
				return fmt.Errorf("create index %s: %w", uid, err)
			}
		}
	}
	info, err := c.ms.Index(uid).UpdateSettings(ctx, settings)
	if err := c.wait(ctx, info, err); err != nil {
		return fmt.Errorf("apply settings to %s: %w", uid, err)
	}
	return nil
}

// EnsureVacancyIndex makes sure the vacancies index exists with current
// settings, synonyms from the client's source. Serve and the sync worker
// call it at start-up.
func (c *Client) EnsureVacancyIndex(ctx context.Context) error {
	groups, err := c.synonyms(ctx)
	if err != nil {
		return err
	}
	return c.ensureIndex(ctx, c.VacanciesIndex(), vacancySettings(groups))
}
