// Package demo makes the demo data the portal ships with: a fictional
// consortium of health and care employers in Cambridgeshire & Peterborough
// and their vacancies, and synthetic vacancies in bulk for benchmarks.
//
// It writes only through partners.Store and vacancies.Store, so every
// vacancy is validated and its search sync enqueued like any other write.
// It must not read the clock (today is passed in), call Meilisearch or use
// a real organisation's name or domain.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// Summary says what Seed or Synthetic wrote.
type Summary struct {
	Partners, Vacancies int
	Skipped             bool // the demo was already there and force was not set
}

// The demo's random source is fixed, so the content is the same every run
// and only the dates move with today.
const seedHi, seedLo = 0x6361_6d62_7320_7065, 0x7465_7262_6f72_6f75

// refYear is part of every demo reference. It is fixed rather than today's
// year so that re-seeding in a new year updates the same vacancies instead
// of adding a second set.
const refYear = 2026

// chunkSize is how many vacancies one SaveMany transaction writes.
const chunkSize = 1000

// Seed writes the demo consortium. It is deterministic for a given day:
// posted and closing dates are relative to today so the demo always has
// live roles. It does nothing (Skipped) when every demo partner already
// exists, unless force is set; then it upserts partners by slug and
// vacancies by partner and reference, so re-running never duplicates.
func Seed(ctx context.Context, ps *partners.Store, vs *vacancies.Store, today time.Time, force bool) (sum Summary, err error) {
	defer wrap(&err, "seed demo data")
	if !force {
		existing, err := existingPartners(ctx, ps)
		if err != nil {
			return sum, err
		}
		if len(existing) == len(consortium) {
			return Summary{Skipped: true}, nil
		}
	}
	ids := make([]int64, len(consortium))
	for i, p := range consortium {
		if ids[i], err = ps.Upsert(ctx, p.partner()); err != nil {
			return sum, err
		}
	}
	sum.Partners = len(consortium)
	g, err := newGenerator(today, rand.NewPCG(seedHi, seedLo))
	if err != nil {
		return sum, err
	}
	var list []vacancies.Vacancy
	for i, p := range consortium {
		for n := range p.Count {
			list = append(list, g.vacancy(i, ids[i], fmt.Sprintf("%s-%d-%05d", p.Prefix, refYear, 101+n)))
		}
	}
	for start := 0; start < len(list); start += chunkSize {
		chunk := list[start:min(start+chunkSize, len(list))]
		if _, err := vs.SaveMany(ctx, chunk); err != nil {
			return sum, err
		}
		sum.Vacancies += len(chunk)
	}
	return sum, nil
}

// existingPartners returns the ids of the demo partners already saved, by
// consortium index.
func existingPartners(ctx context.Context, ps *partners.Store) (map[int]int64, error) {
	ids := map[int]int64{}
	for i, p := range consortium {
		row, err := ps.BySlug(ctx, p.Slug)
		switch {
		case errors.Is(err, partners.ErrNotFound):
			continue
		case err != nil:
			return nil, err
		}
		ids[i] = row.ID
	}
	return ids, nil
}

func wrap(err *error, what string) {
	if *err != nil {
		*err = fmt.Errorf("%s: %w", what, *err)
	}
}
