package content

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/pages"
)

func TestFiles_EveryShippedFileLoads(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(pagesFS, "pages/*.md")
	if len(files) != len(names) || len(files) < 3 {
		t.Fatalf("%d files loaded of %d shipped", len(files), len(names))
	}
	for _, f := range files {
		if f.Page.Slug+".md" != f.Name || len(f.Hash) != 64 || f.Page.Status != pages.Published {
			t.Errorf("%s: slug %q, hash %q, status %q", f.Name, f.Page.Slug, f.Hash, f.Page.Status)
		}
		if strings.HasPrefix(f.Page.Body, "---") || strings.TrimSpace(f.Page.Body) == "" {
			t.Errorf("%s: body starts %.40q", f.Name, f.Page.Body)
		}
	}
}

func TestParseFile_ReadsEveryField(t *testing.T) {
	source := "---\nslug: ely\ntitle: Living in Ely\nsummary: \"Small city: big sky\"\nkind: area-guide\n" +
		"places: [Ely, Soham]\nstaff_groups: [nursing-midwifery]\ntags: [fens, housing]\n" +
		"hero_image: /static/img/ely.jpg\nhero_alt: Ely cathedral over the fens\npublished: 2026-03-01\n---\n\n## Ely\n\nWords.\n"
	f, err := ParseFile("ely.md", []byte(source))
	if err != nil {
		t.Fatal(err)
	}
	p := f.Page
	if p.Kind != pages.AreaGuide || p.Slug != "ely" || p.Title != "Living in Ely" || p.Summary != "Small city: big sky" ||
		!slices.Equal(p.Places, []string{"Ely", "Soham"}) || !slices.Equal(p.StaffGroups, []string{"nursing-midwifery"}) ||
		!slices.Equal(p.Tags, []string{"fens", "housing"}) || p.HeroImage != "/static/img/ely.jpg" ||
		p.HeroAlt != "Ely cathedral over the fens" || !p.PublishedAt.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("page = %+v", p)
	}
	if p.Body != "## Ely\n\nWords." {
		t.Errorf("body = %q", p.Body)
	}
	again, _ := ParseFile("ely.md", []byte(strings.Replace(source, "Words.", "Other words.", 1)))
	if again.Hash == f.Hash {
		t.Error("a changed file kept its hash")
	}
}

func TestParseFile_RejectsBadFrontMatterNamingTheFile(t *testing.T) {
	valid := "slug: %s\ntitle: A page\nsummary: s\nkind: story\n"
	for name, tc := range map[string]struct{ source, problem string }{
		"missing":       {"# Hello", "no front matter"},
		"unclosed":      {"---\nslug: unclosed\ntitle: x\n", "not closed"},
		"empty":         {"---\n---\nbody", "keys and values"},
		"unknown-key":   {"---\n" + strings.ReplaceAll(valid, "%s", "unknown-key") + "colour: red\n---\nbody", `unknown key "colour" on line 6`},
		"bad-kind":      {"---\nslug: bad-kind\ntitle: A\nsummary: s\nkind: poem\n---\nbody", "kind:"},
		"slug-mismatch": {"---\n" + strings.ReplaceAll(valid, "%s", "another-slug") + "---\nbody", "file's name"},
		"bad-date":      {"---\n" + strings.ReplaceAll(valid, "%s", "bad-date") + "published: 1 March\n---\nbody", "YYYY-MM-DD"},
		"bad-group":     {"---\n" + strings.ReplaceAll(valid, "%s", "bad-group") + "staff_groups: [wizards]\n---\nbody", "staff_groups:"},
		"places-string": {"---\n" + strings.ReplaceAll(valid, "%s", "places-string") + "places: {a: b}\n---\nbody", "front matter"},
		"colon":         {"---\nslug: colon\ntitle: A: B\n---\nbody", "must be in quotes"},
		"jobs":          {"---\nslug: jobs\ntitle: Jobs\nkind: page\n---\nbody", "already part of the site"},
	} {
		_, err := ParseFile(name+".md", []byte(tc.source))
		if err == nil || !strings.HasPrefix(err.Error(), name+".md: ") || !strings.Contains(err.Error(), tc.problem) {
			t.Errorf("%s: got %v, want an error naming the file and saying %q", name, err, tc.problem)
		}
	}
}

func TestAboutOurData_ShowsTheLicenceAttribution(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		p := f.Page
		if p.Slug != "about-our-data" {
			continue
		}
		for _, line := range strings.Split(geo.Attribution, "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !strings.Contains(p.Body, line) {
				t.Errorf("about-our-data lacks the attribution line %q", line)
			}
		}
		return
	}
	t.Fatal("no about-our-data page")
}
