package content

import (
	"strings"
	"testing"

	"github.com/regionalcareers/portal/internal/geo"
)

func TestPages_AllShippedPagesParse(t *testing.T) {
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 3 {
		t.Errorf("%d pages, want at least about-our-data, accessibility and privacy", len(pages))
	}
}

func TestAboutOurData_ShowsTheLicenceAttribution(t *testing.T) {
	pages, _ := Pages()
	for _, p := range pages {
		if p.Slug != "about-our-data" {
			continue
		}
		for _, line := range strings.Split(geo.Attribution, "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !strings.Contains(string(p.Body), line) {
				t.Errorf("about-our-data lacks the attribution line %q", line)
			}
		}
		return
	}
	t.Fatal("no about-our-data page")
}

func TestParse_ReportsFrontMatterProblems(t *testing.T) {
	for name, source := range map[string]string{
		"no front matter": "# Hello",
		"unclosed":        "---\ntitle: x\n",
		"unknown field":   "---\nslug: a\ntitle: A\nsummary: s\nkind: page\ncolour: red\n---\nbody",
		"bad slug":        "---\nslug: Not A Slug\ntitle: A\nsummary: s\nkind: page\n---\nbody",
		"missing title":   "---\nslug: a\nsummary: s\nkind: page\n---\nbody",
		"unknown kind":    "---\nslug: a\ntitle: A\nsummary: s\nkind: poem\n---\nbody",
		"not yaml at all": "---\n: : :\n---\nbody",
	} {
		if _, err := Parse(name+".md", []byte(source)); err == nil || !strings.Contains(err.Error(), name+".md") {
			t.Errorf("%s: got %v, want an error naming the file", name, err)
		}
	}
}

func TestParse_RendersMarkdownWithoutScripts(t *testing.T) {
	p, err := Parse("x.md", []byte("---\nslug: x\ntitle: X\nsummary: s\nkind: page\n---\n## Hi\n\n<script>alert(1)</script>\n[a](javascript:alert(1))"))
	if err != nil {
		t.Fatal(err)
	}
	body := string(p.Body)
	if !strings.Contains(body, "<h2") || strings.Contains(body, "<script") || strings.Contains(body, "javascript:") {
		t.Errorf("body = %s", body)
	}
}
