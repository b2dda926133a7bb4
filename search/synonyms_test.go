package search_test

import (
	"context"
	"testing"

	"github.com/regionalcareers/portal/internal/testenv"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

func TestApplySynonyms_AnAdminsNewGroupWorksWithoutARebuild(t *testing.T) {
	f := setUp(t)
	f.save(t, vt.New(f.trust, vt.Title("Hospital porter"), vt.Group("estates-ancillary")))
	if got := f.search(t, "q=orderly").Total; got != 0 {
		t.Fatalf("orderly found %d before the group exists", got)
	}
	groups := append(search.DefaultSynonyms(), []string{"porter", "orderly"})
	if err := f.client.ApplySynonyms(context.Background(), groups); err != nil {
		t.Fatal(err)
	}
	if got := titles(f.search(t, "q=orderly")); len(got) != 1 || got[0] != "Hospital porter" {
		t.Errorf("orderly found %v, want the porter", got)
	}
	if got := f.search(t, "q=hca").Total; got != 0 {
		t.Errorf("hca found %d, want 0 (no care roles saved)", got)
	}
}

func TestRebuild_TakesTheSynonymsFromTheSource(t *testing.T) {
	f := setUp(t)
	f.save(t,
		vt.New(f.trust, vt.Title("Hospital porter"), vt.Group("estates-ancillary")),
		vt.New(f.trust, vt.Title("Staff nurse"), vt.Group("nursing-midwifery")),
	)
	if got := f.search(t, "q=rn").Total; got != 1 {
		t.Fatalf("rn found %d with the default synonyms, want 1", got)
	}
	// The admins replaced the defaults with a single group.
	f.client.SetSynonymSource(func(context.Context) ([][]string, error) {
		return [][]string{{"porter", "orderly"}}, nil
	})
	if _, err := f.syncer.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := titles(f.search(t, "q=orderly")); len(got) != 1 || got[0] != "Hospital porter" {
		t.Errorf("orderly found %v after the rebuild, want the porter", got)
	}
	if got := f.search(t, "q=rn").Total; got != 0 {
		t.Errorf("rn still finds %d after its group was removed", got)
	}
}

func TestIndexHealth_CountsDocumentsAndSaysWhenThereIsNoIndex(t *testing.T) {
	f := setUp(t)
	f.save(t, vt.New(f.trust), vt.New(f.care))
	h, err := f.client.IndexHealth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !h.Exists || h.Documents != 2 || h.FieldDistribution["title"] != 2 || h.LastUpdate.IsZero() || h.Index != f.client.VacanciesIndex() {
		t.Errorf("health: %+v", h)
	}
	cfg := testenv.ConfigForTest(t)
	cfg.IndexPrefix += "never_created_"
	if h, err := search.New(cfg).IndexHealth(context.Background()); err != nil || h.Exists || h.Documents != 0 {
		t.Errorf("no index: %+v %v", h, err)
	}
}
