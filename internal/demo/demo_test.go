package demo

import (
	"context"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

var today = time.Date(2026, time.November, 25, 0, 0, 0, 0, time.UTC)

type env struct {
	pool *pgxpool.Pool
	ps   *partners.Store
	vs   *vacancies.Store
}

func newEnv(t *testing.T) env {
	t.Helper()
	pool, ps, vs := vacancytest.Stores(t)
	return env{pool: pool, ps: ps, vs: vs}
}

func (e env) seed(t *testing.T, force bool) Summary {
	t.Helper()
	sum, err := Seed(context.Background(), e.ps, e.vs, today, force)
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return sum
}

// column reads one column of every row the query returns.
func column[T any](t *testing.T, pool *pgxpool.Pool, sql string, args ...any) []T {
	t.Helper()
	rows, err := pool.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[T])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return list
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	return column[int](t, pool, sql, args...)[0]
}

func TestSeed_CoversEveryPartnerTypeAndAtLeast600Vacancies(t *testing.T) {
	e := newEnv(t)
	sum := e.seed(t, false)
	if sum.Skipped || sum.Partners < 14 || sum.Vacancies < 600 {
		t.Fatalf("Seed = %+v, want at least 14 partners and 600 vacancies", sum)
	}
	if got := count(t, e.pool, `SELECT count(*) FROM vacancies`); got != sum.Vacancies {
		t.Errorf("%d vacancies in the database, summary says %d", got, sum.Vacancies)
	}
	types := column[string](t, e.pool, `SELECT DISTINCT p.type FROM partners p JOIN vacancies v ON v.partner_id = p.id
		WHERE v.status = 'live' ORDER BY 1`)
	for _, want := range partners.Types {
		if !slices.Contains(types, string(want)) {
			t.Errorf("no live vacancy from a partner of type %s (have %v)", want, types)
		}
	}
	for typ, least := range map[partners.Type]int{partners.NHSTrust: 3, partners.PrimaryCare: 3, partners.CareProvider: 3} {
		if n := count(t, e.pool, `SELECT count(*) FROM partners WHERE type = $1`, typ); n < least {
			t.Errorf("%d partners of type %s, want at least %d", n, typ, least)
		}
	}
	names := column[string](t, e.pool, `SELECT name || ' ' || website FROM partners ORDER BY name`)
	fictional := regexp.MustCompile(`\(fictional\) https://[a-z0-9-]+\.example$`)
	for _, n := range names {
		if !fictional.MatchString(n) {
			t.Errorf("partner %q is not marked fictional with an .example website", n)
		}
	}
	abouts := count(t, e.pool, `SELECT count(*) FROM partners WHERE length(about) < 150`)
	if abouts > 0 {
		t.Errorf("%d partners have no real about paragraph", abouts)
	}
}

func TestSeed_HasEveryStaffGroupContractPatternAndStatus(t *testing.T) {
	e := newEnv(t)
	e.seed(t, false)
	for _, c := range []struct {
		what  string
		sql   string
		terms vacancies.Terms
	}{
		{"staff group", `SELECT DISTINCT staff_group FROM vacancies`, vacancies.StaffGroups},
		{"contract", `SELECT DISTINCT contract FROM vacancies`, vacancies.Contracts},
		{"pattern", `SELECT DISTINCT unnest(patterns) FROM vacancies`, vacancies.Patterns},
		{"band", `SELECT DISTINCT band FROM vacancies WHERE band IS NOT NULL`, vacancies.Bands},
	} {
		have := column[string](t, e.pool, c.sql)
		for _, term := range c.terms {
			if !slices.Contains(have, term.Slug) {
				t.Errorf("no vacancy has %s %q", c.what, term.Slug)
			}
		}
	}
	total := count(t, e.pool, `SELECT count(*) FROM vacancies`)
	drafts := count(t, e.pool, `SELECT count(*) FROM vacancies WHERE status = 'draft'`)
	closed := count(t, e.pool, `SELECT count(*) FROM vacancies WHERE status = 'closed' AND closing_on < $1`, today)
	if drafts < 3 || closed < 3 || drafts+closed > total/20 {
		t.Errorf("%d drafts and %d closed of %d, want a handful of each", drafts, closed, total)
	}
	if n := count(t, e.pool, `SELECT count(*) FROM vacancies WHERE status = 'live' AND closing_on < $1`, today); n > 0 {
		t.Errorf("%d live vacancies have already closed", n)
	}
	for days, label := range []string{"today", "tomorrow"} {
		if count(t, e.pool, `SELECT count(*) FROM vacancies WHERE status = 'live' AND closing_on = $1`, today.AddDate(0, 0, days)) == 0 {
			t.Errorf("no live vacancy closes %s", label)
		}
	}
	if n := count(t, e.pool, `SELECT count(*) FROM vacancies WHERE posted_on > $1 OR posted_on < $2 AND status = 'live'`,
		today, today.AddDate(0, 0, -28)); n > 0 {
		t.Errorf("%d vacancies posted outside the last 28 days", n)
	}
	if n := count(t, e.pool, `SELECT count(*) FROM vacancies WHERE 'part-time' = ANY(patterns) AND hours_per_week NOT BETWEEN 7 AND 30
		OR 'full-time' = ANY(patterns) AND hours_per_week < 33`); n > 0 {
		t.Errorf("%d vacancies have hours that do not fit their pattern", n)
	}
	passports := count(t, e.pool, `SELECT count(*) FROM vacancies v JOIN partners p ON p.id = v.partner_id
		WHERE p.type IN ('nhs-trust', 'ambulance') AND v.passport_accepted`)
	nhs := count(t, e.pool, `SELECT count(*) FROM vacancies v JOIN partners p ON p.id = v.partner_id WHERE p.type IN ('nhs-trust', 'ambulance')`)
	if passports < nhs/3 {
		t.Errorf("%d of %d NHS and ambulance roles accept the passport, want a good share", passports, nhs)
	}
	if n := count(t, e.pool, `SELECT count(DISTINCT description) FROM vacancies`); n < total*95/100 {
		t.Errorf("only %d distinct descriptions for %d vacancies", n, total)
	}
}

func TestSeed_IsDeterministicAndIdempotent(t *testing.T) {
	e := newEnv(t)
	const listing = `SELECT external_ref || ' | ' || title || ' | ' || closing_on FROM vacancies ORDER BY id`
	first := e.seed(t, true)
	before := column[string](t, e.pool, listing)
	second := e.seed(t, true)
	after := column[string](t, e.pool, listing)
	if first != second {
		t.Errorf("summaries differ: %+v then %+v", first, second)
	}
	if !slices.Equal(before, after) {
		t.Errorf("re-seeding changed the vacancies: %d rows before, %d after", len(before), len(after))
	}
	if n := count(t, e.pool, `SELECT count(*) FROM partners`); n != first.Partners {
		t.Errorf("%d partners after seeding twice, want %d", n, first.Partners)
	}
	if n := count(t, e.pool, `SELECT count(*) FROM (SELECT DISTINCT partner_id, title, description FROM vacancies) d`); n != first.Vacancies {
		t.Errorf("%d distinct vacancies after seeding twice, want %d", n, first.Vacancies)
	}

	// The generator alone: the same day gives the same vacancies in the same order.
	build := func() []vacancies.Vacancy {
		g, err := newGenerator(today, rand.NewPCG(seedHi, seedLo))
		if err != nil {
			t.Fatal(err)
		}
		var list []vacancies.Vacancy
		for i := range consortium {
			for n := range 20 {
				list = append(list, g.vacancy(i, int64(i+1), strconv.Itoa(n)))
			}
		}
		return list
	}
	a, b := build(), build()
	for i := range a {
		if a[i].Title != b[i].Title || a[i].Description != b[i].Description || a[i].Pay != b[i].Pay {
			t.Fatalf("vacancy %d differs between runs: %q vs %q", i, a[i].Title, b[i].Title)
		}
	}
}

func TestSeed_SkipsWhenAlreadySeeded(t *testing.T) {
	e := newEnv(t)
	e.seed(t, false)
	const state = `SELECT count(*) || ' ' || max(updated_at) FROM vacancies`
	before := column[string](t, e.pool, state)[0]
	if sum := e.seed(t, false); !sum.Skipped || sum.Vacancies != 0 {
		t.Errorf("second Seed = %+v, want Skipped", sum)
	}
	if after := column[string](t, e.pool, state)[0]; after != before {
		t.Errorf("skipped Seed changed vacancies: %s, then %s", before, after)
	}
	if sum := e.seed(t, true); sum.Skipped {
		t.Errorf("forced Seed = %+v, want it to run", sum)
	}
}

var figures = regexp.MustCompile(`\d[\d,]*(\.\d+)?`)

// amounts reads the figures in a pay text: "£29,970 - £36,483 pa" -> 29970, 36483.
func amounts(text string) []float64 {
	var out []float64
	for _, f := range figures.FindAllString(text, -1) {
		v, _ := strconv.ParseFloat(strings.ReplaceAll(f, ",", ""), 64)
		out = append(out, v)
	}
	return out
}

func TestSeed_PayMatchesAgendaForChangeBand(t *testing.T) {
	e := newEnv(t)
	e.seed(t, false)
	rows, err := e.pool.Query(context.Background(), `SELECT external_ref, coalesce(band, ''), coalesce(pay_min, 0)::float8,
		coalesce(pay_max, 0)::float8, coalesce(pay_period, ''), pay_text FROM vacancies ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	banded, hourly := 0, 0
	for rows.Next() {
		var ref, band, period, text string
		var lo, hi float64
		if err := rows.Scan(&ref, &band, &lo, &hi, &period, &text); err != nil {
			t.Fatal(err)
		}
		want := []float64{lo}
		if hi > 0 {
			want = append(want, hi)
		}
		switch {
		case band != "":
			banded++
			scale := vacancies.AfCPayScale[band]
			if lo != scale.Min || (hi != scale.Max && !(hi == 0 && scale.Max == scale.Min)) || period != "year" {
				t.Errorf("%s band %s pays %v-%v a %s, want the scale %v", ref, band, lo, hi, period, scale)
			}
			if text != "Band "+band && !slices.Equal(amounts(text), want) {
				t.Errorf("%s band %s: pay text %q does not state %v", ref, band, text, want)
			}
		case period == "hour":
			hourly++
			if lo < 12.60 || hi > 30 {
				t.Errorf("%s pays %v-%v an hour (%q), want at least the Real Living Wage", ref, lo, hi, text)
			}
			if got := amounts(text); !slices.Equal(got, want) {
				t.Errorf("%s: hourly pay text %q states %v, want %v", ref, text, got, want)
			}
		case period == "year":
			if lo < 20000 || (text != "NHS Consultant Scale" && !slices.Equal(amounts(text)[:len(want)], want)) {
				t.Errorf("%s: annual pay %v-%v with text %q", ref, lo, hi, text)
			}
		default:
			t.Errorf("%s has neither a band nor a stated amount", ref)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if banded == 0 || hourly == 0 {
		t.Errorf("%d banded and %d hourly roles, want some of each", banded, hourly)
	}
}

func TestSeed_LocationsAreInTheRegion(t *testing.T) {
	e := newEnv(t)
	e.seed(t, false)
	if n := count(t, e.pool, `SELECT count(*) FROM vacancy_locations
		WHERE lat NOT BETWEEN 52.0 AND 52.75 OR lon NOT BETWEEN -0.55 AND 0.55 OR postcode !~ '^(PE|CB|SG)[0-9]+$'`); n > 0 {
		t.Errorf("%d locations outside Cambridgeshire and Peterborough or without a postcode district", n)
	}
	if n := count(t, e.pool, `SELECT count(*) FROM vacancies v WHERE NOT EXISTS (SELECT 1 FROM vacancy_locations l WHERE l.vacancy_id = v.id)`); n > 0 {
		t.Errorf("%d vacancies have no location", n)
	}
	if n := count(t, e.pool, `SELECT count(DISTINCT name) FROM vacancy_locations`); n < 30 {
		t.Errorf("vacancies are in %d places, want them spread over at least 30", n)
	}
	multi := column[int](t, e.pool, `SELECT count(*)::int FROM vacancy_locations GROUP BY vacancy_id HAVING count(*) > 1`)
	if len(multi) < 10 || slices.Max(multi) > 3 {
		t.Errorf("%d vacancies have several locations (most %v), want a few with 2 or 3", len(multi), multi)
	}
	for _, town := range []string{"Cambridge", "Peterborough", "Ely", "Wisbech", "March", "Huntingdon", "St Ives", "St Neots", "Papworth Everard", "Kimbolton", "Thorney"} {
		if count(t, e.pool, `SELECT count(*) FROM vacancy_locations WHERE name = $1`, town) == 0 {
			t.Errorf("no vacancy in %s", town)
		}
	}
}

func TestSeed_EnqueuesSearchSync(t *testing.T) {
	e := newEnv(t)
	e.seed(t, false)
	queued := column[int64](t, e.pool, `SELECT DISTINCT jsonb_array_elements_text(args->'ids')::bigint FROM river_job
		WHERE kind = $1 ORDER BY 1`, outbox.SyncVacancies{}.Kind())
	ids := column[int64](t, e.pool, `SELECT id FROM vacancies ORDER BY id`)
	if !slices.Equal(queued, ids) {
		t.Errorf("search sync jobs cover %d ids, want all %d vacancies", len(queued), len(ids))
	}
}

func TestSynthetic_MakesNVaried(t *testing.T) {
	e := newEnv(t)
	sum, err := Synthetic(context.Background(), e.ps, e.vs, today, 2000, 42)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Vacancies != 2000 || sum.Partners != len(consortium) {
		t.Errorf("Synthetic = %+v, want 2000 vacancies over %d partners", sum, len(consortium))
	}
	if n := count(t, e.pool, `SELECT count(*) FROM vacancies`); n != 2000 {
		t.Errorf("%d vacancies in the database, want 2000", n)
	}
	if n := count(t, e.pool, `SELECT count(DISTINCT title) FROM vacancies`); n < 500 {
		t.Errorf("only %d distinct titles in 2000 vacancies", n)
	}
	groups := column[string](t, e.pool, `SELECT DISTINCT staff_group FROM vacancies`)
	for _, g := range vacancies.StaffGroups {
		if !slices.Contains(groups, g.Slug) {
			t.Errorf("no synthetic vacancy in staff group %s", g.Slug)
		}
	}
	// Synthetic refs never collide with the demo's, so seeding afterwards adds the demo alongside.
	seeded := e.seed(t, true)
	if n := count(t, e.pool, `SELECT count(*) FROM vacancies`); n != 2000+seeded.Vacancies {
		t.Errorf("%d vacancies after seeding over synthetic data, want %d", n, 2000+seeded.Vacancies)
	}
}

func TestCatalogue_IsConsistent(t *testing.T) {
	offered := map[string]bool{}
	for _, p := range consortium {
		for _, profile := range p.Profiles {
			offered[profile] = true
		}
		if errs := p.partner().Validate(); len(errs) > 0 {
			t.Errorf("partner %s: %v", p.Slug, errs)
		}
	}
	for _, r := range catalogue {
		if _, ok := families[r.Family]; !ok {
			t.Errorf("%s: no phrases for family %q", r.Title, r.Family)
		}
		if !vacancies.StaffGroups.Has(r.Group) || (r.Pay.Band != "" && !vacancies.Bands.Has(r.Pay.Band)) {
			t.Errorf("%s: staff group %q or band %q is not a known term", r.Title, r.Group, r.Pay.Band)
		}
		if !slices.ContainsFunc(r.At, func(at string) bool { return offered[at] }) {
			t.Errorf("%s: no partner advertises it (%v)", r.Title, r.At)
		}
	}
}
