package pages_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/regionalcareers/portal/content"
	"github.com/regionalcareers/portal/internal/pages"
)

// shipped is a shipped file for p, hashed from its body as the loader
// hashes the file's bytes.
func shipped(p pages.Page) pages.File {
	sum := sha256.Sum256([]byte(p.Title + "\n" + p.Body))
	return pages.File{Name: p.Slug + ".md", Page: p, Hash: hex.EncodeToString(sum[:])}
}

func TestImport_IsIdempotent(t *testing.T) {
	e := setUp(t)
	published := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	files := []pages.File{
		shipped(newPage(pages.AreaGuide, "ely", func(p *pages.Page) { p.PublishedAt = published })),
		shipped(newPage(pages.Plain, "privacy")),
	}
	sum, err := e.store.Import(e.ctx, files)
	if err != nil || sum.Created != 2 || sum.Updated+sum.Unchanged != 0 || len(sum.KeptEdited) != 0 {
		t.Fatalf("first import = %+v, %v", sum, err)
	}
	ely, err := e.store.Live(e.ctx, pages.AreaGuide, "ely")
	if err != nil || !ely.Shipped || !ely.EditedAt.IsZero() || !ely.PublishedAt.Equal(published) {
		t.Errorf("imported = %+v, %v", ely, err)
	}
	revs, _ := e.store.Revisions(e.ctx, ely.ID)
	if len(revs) != 1 || revs[0].Note != "imported" || revs[0].AuthorName != "" {
		t.Errorf("revisions = %+v", revs)
	}
	if n := e.syncJobsFor(t, ely.ID); n != 1 {
		t.Errorf("%d syncs for a new page", n)
	}

	writes := func() int {
		return e.count(t, `SELECT (SELECT count(*) FROM page_revisions) + (SELECT count(*) FROM river_job)
			+ (SELECT count(*) FROM pages WHERE updated_at <> created_at)`)
	}
	before := writes()
	sum, err = e.store.Import(e.ctx, files)
	if err != nil || fmt.Sprint(sum) != fmt.Sprint(pages.ImportSummary{Unchanged: 2}) {
		t.Errorf("second import = %+v, %v; want everything unchanged", sum, err)
	}
	if after := writes(); after != before {
		t.Errorf("second import wrote: %d revisions, jobs and updates before, %d after", before, after)
	}
}

func TestImport_ChangedFileUpdatesAnUntouchedPage(t *testing.T) {
	e := setUp(t)
	guide := newPage(pages.AreaGuide, "ely")
	if _, err := e.store.Import(e.ctx, []pages.File{shipped(guide)}); err != nil {
		t.Fatal(err)
	}
	guide.Body, guide.Places = "Ely has a cathedral.\n", []string{"Ely"}
	sum, err := e.store.Import(e.ctx, []pages.File{shipped(guide)})
	if err != nil || fmt.Sprint(sum) != fmt.Sprint(pages.ImportSummary{Updated: 1}) {
		t.Fatalf("import = %+v, %v", sum, err)
	}
	got, _ := e.store.Live(e.ctx, pages.AreaGuide, "ely")
	if got.Body != "Ely has a cathedral.\n" || !slices.Equal(got.Places, []string{"Ely"}) || !got.EditedAt.IsZero() {
		t.Errorf("updated = %+v", got)
	}
	if revs, _ := e.store.Revisions(e.ctx, got.ID); len(revs) != 2 {
		t.Errorf("%d revisions, want the import and the update", len(revs))
	}
	if n := e.syncJobsFor(t, got.ID); n != 2 {
		t.Errorf("%d syncs, want 2", n)
	}
}

func TestImport_KeepsAPageAnEditorSaved(t *testing.T) {
	e := setUp(t)
	guide := newPage(pages.AreaGuide, "ely")
	if _, err := e.store.Import(e.ctx, []pages.File{shipped(guide)}); err != nil {
		t.Fatal(err)
	}
	edited, _ := e.store.Live(e.ctx, pages.AreaGuide, "ely")
	edited.Body = "The editor's words.\n"
	e.save(t, edited, publish)

	sum, err := e.store.Import(e.ctx, []pages.File{shipped(guide)})
	if err != nil || fmt.Sprint(sum) != fmt.Sprint(pages.ImportSummary{Unchanged: 1}) {
		t.Errorf("same file again = %+v, %v", sum, err)
	}
	guide.Body = "The writer's new words.\n"
	sum, err = e.store.Import(e.ctx, []pages.File{shipped(guide)})
	if err != nil || sum.Updated != 0 || !slices.Equal(sum.KeptEdited, []string{"ely"}) {
		t.Errorf("changed file = %+v, %v; want ely kept and reported", sum, err)
	}
	got, _ := e.store.Get(e.ctx, edited.ID)
	if got.Body != "The editor's words.\n" {
		t.Errorf("the import overwrote the editor: %q", got.Body)
	}
}

func TestImport_RefusesAnInvalidFile(t *testing.T) {
	e := setUp(t)
	bad := shipped(newPage(pages.Plain, "jobs"))
	if _, err := e.store.Import(e.ctx, []pages.File{shipped(newPage(pages.Story, "fine")), bad}); err == nil {
		t.Fatal("imported a plain page over /jobs")
	}
	if n := e.count(t, `SELECT count(*) FROM pages`); n != 0 {
		t.Errorf("%d pages written: the import is all or nothing", n)
	}
}

func TestImport_EveryShippedPage(t *testing.T) {
	e := setUp(t)
	files, err := content.Files()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := e.store.Import(e.ctx, files)
	if err != nil || sum.Created != len(files) {
		t.Fatalf("import = %+v, %v; want %d created", sum, err, len(files))
	}
	if sum, _ := e.store.Import(e.ctx, files); sum.Unchanged != len(files) {
		t.Errorf("again = %+v", sum)
	}
}
