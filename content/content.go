// Package content owns the markdown pages shipped with the site (for now
// the information pages: about our data, accessibility, privacy) and
// their loader: front matter parsed, markdown rendered and sanitised once
// at start-up. It must not know HTTP or the database.
package content

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/regionalcareers/portal/internal/markdown"
)

//go:embed pages/*.md
var pagesFS embed.FS

// Page is one rendered content page.
type Page struct {
	Slug    string        `yaml:"slug"`
	Title   string        `yaml:"title"`
	Summary string        `yaml:"summary"`
	Kind    string        `yaml:"kind"`
	Body    template.HTML `yaml:"-"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Parse reads a page from markdown with YAML front matter between "---"
// lines, and renders its body.
func Parse(name string, source []byte) (Page, error) {
	source = bytes.TrimPrefix(source, []byte("\uFEFF"))
	rest, ok := bytes.CutPrefix(source, []byte("---\n"))
	if !ok {
		return Page{}, fmt.Errorf("%s: no front matter (the file must start with a --- line)", name)
	}
	front, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		return Page{}, fmt.Errorf("%s: front matter is not closed with a --- line", name)
	}
	var p Page
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return Page{}, fmt.Errorf("%s: front matter: %w", name, err)
	}
	var problems []string
	if !slugPattern.MatchString(p.Slug) {
		problems = append(problems, "slug must be lower-case words joined by hyphens")
	}
	if strings.TrimSpace(p.Title) == "" {
		problems = append(problems, "title is missing")
	}
	if strings.TrimSpace(p.Summary) == "" {
		problems = append(problems, "summary is missing")
	}
	if p.Kind != "page" {
		problems = append(problems, fmt.Sprintf("kind %q is not one this site shows (page)", p.Kind))
	}
	if len(problems) > 0 {
		return Page{}, fmt.Errorf("%s: %s", name, strings.Join(problems, "; "))
	}
	p.Body = markdown.ToHTML(string(body))
	return p, nil
}

var load = sync.OnceValues(func() ([]Page, error) {
	names, err := fs.Glob(pagesFS, "pages/*.md")
	if err != nil {
		return nil, err
	}
	var pages []Page
	var errs []error
	for _, name := range names {
		raw, err := pagesFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		p, err := Parse(path.Base(name), raw)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if slices.ContainsFunc(pages, func(q Page) bool { return q.Slug == p.Slug }) {
			errs = append(errs, fmt.Errorf("%s: slug %q is used twice", name, p.Slug))
		}
		pages = append(pages, p)
	}
	return pages, errors.Join(errs...)
})

// Pages returns every shipped page, sorted by file name. Start-up fails on
// the error: a broken page is a broken build.
func Pages() ([]Page, error) { return load() }
