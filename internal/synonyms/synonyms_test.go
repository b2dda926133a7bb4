package synonyms_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/synonyms"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/search"
)

func TestParse_NormalisesOneGroupPerLine(t *testing.T) {
	groups, errs := synonyms.Parse("RN,  Registered   Nurse , staff nurse\r\n\n  physio, physiotherapist, physio\n")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := [][]string{{"rn", "registered nurse", "staff nurse"}, {"physio", "physiotherapist"}}
	if fmt.Sprint(groups) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", groups, want)
	}
	if again, _ := synonyms.Parse(synonyms.Format(groups)); fmt.Sprint(again) != fmt.Sprint(groups) {
		t.Errorf("Format then Parse gives %q", again)
	}
}

func TestParse_SaysWhichLineIsWrong(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string // in the one error
	}{
		{"rn, staff nurse\n\nnurse", "Line 3: put at least 2 terms"},
		{"a&e, emergency department", `Line 1: "a&e" can only have letters`},
		{"<script>, x", `Line 1: "<script>" can only have letters`},
		{"rn, staff nurse\nrgn, rn", `Line 2: "rn" is already in line 1`},
		{"gp, " + strings.Repeat("a", 41), "Line 1: " + `"` + strings.Repeat("a", 41) + `" is longer than 40 characters`},
	} {
		_, errs := synonyms.Parse(tc.text)
		if len(errs) != 1 || !strings.HasPrefix(errs[0], tc.want) {
			t.Errorf("%q: got %q, want one error starting %q", tc.text, errs, tc.want)
		}
	}
	var many []string
	for i := range 21 {
		many = append(many, fmt.Sprintf("term %d", i))
	}
	if _, errs := synonyms.Parse(strings.Join(many, ",")); len(errs) != 1 || !strings.Contains(errs[0], "at most 20") {
		t.Errorf("21 terms: %q", errs)
	}
	if _, errs := synonyms.Parse(" \n "); len(errs) != 1 {
		t.Errorf("nothing: %q, want one error", errs)
	}
	if _, errs := synonyms.Parse("o'neill ward, o’neill-ward, ward 7"); len(errs) != 0 {
		t.Errorf("apostrophes, hyphens and digits refused: %q", errs)
	}
}

func TestDefaults_AreValid(t *testing.T) {
	if _, errs := synonyms.Validate(search.DefaultSynonyms()); len(errs) > 0 {
		t.Errorf("the built-in groups are refused: %q", errs)
	}
}

func newStore(t *testing.T) (*pgxpool.Pool, *synonyms.Store) {
	t.Helper()
	testenv.Truncate(t)
	pool := testenv.Pool(t)
	if _, err := pool.Exec(context.Background(), `TRUNCATE search_synonyms RESTART IDENTITY`); err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		t.Fatal(err)
	}
	return pool, synonyms.NewStore(pool, ob)
}

func TestStore_SeedsDefaultsOnceAndReplacesWithTheSearchUpdateEnqueued(t *testing.T) {
	pool, store := newStore(t)
	ctx := context.Background()
	defaults := search.DefaultSynonyms()
	for range 2 {
		if err := store.EnsureDefaults(ctx, defaults); err != nil {
			t.Fatal(err)
		}
	}
	groups, err := store.Groups(ctx)
	if err != nil || fmt.Sprint(groups) != fmt.Sprint(defaults) {
		t.Fatalf("after seeding twice: %d groups (%v), want the %d defaults once", len(groups), err, len(defaults))
	}
	if err := store.Replace(ctx, [][]string{{"Porter", "orderly"}, {"rn", "staff nurse"}}); err != nil {
		t.Fatal(err)
	}
	list, err := store.List(ctx)
	if err != nil || len(list) != 2 || list[0].ID == 0 || fmt.Sprint(list[0].Terms) != "[porter orderly]" {
		t.Fatalf("after replace: %+v %v", list, err)
	}
	var jobs int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'search_apply_synonyms'`).Scan(&jobs)
	if jobs != 1 {
		t.Errorf("%d jobs to apply synonyms, want 1", jobs)
	}
	if err := store.EnsureDefaults(ctx, defaults); err != nil {
		t.Fatal(err)
	}
	if list, _ := store.List(ctx); len(list) != 2 {
		t.Errorf("defaults seeded over an admin's groups: %d groups", len(list))
	}
	err = store.Replace(ctx, [][]string{{"rn", "staff nurse"}, {"rn", "nurse"}})
	var verr synonyms.ValidationError
	if !errors.As(err, &verr) || len(verr) != 1 || !strings.HasPrefix(verr[0], "Line 2:") {
		t.Errorf("duplicate term: got %v", err)
	}
	if list, _ := store.List(ctx); len(list) != 2 {
		t.Errorf("a refused replace changed the groups")
	}
}
