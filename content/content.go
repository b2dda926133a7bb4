// Package content owns the markdown pages shipped with the site (area
// guides, career pathways, campaigns, stories and the information pages)
// and their loader: each file's front matter is parsed and checked with
// the pages package's rules, so a broken file is a broken build. Files
// gives them to pages.Store.Import, which keeps them in the database and
// serves them from there. It must not know HTTP or the database.
package content

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/regionalcareers/portal/internal/pages"
)

//go:embed pages/*.md
var pagesFS embed.FS

// frontMatter is what a file says about its page, between "---" lines.
type frontMatter struct {
	Slug        string   `yaml:"slug"`
	Title       string   `yaml:"title"`
	Summary     string   `yaml:"summary"`
	Kind        string   `yaml:"kind"`
	Places      []string `yaml:"places"`
	StaffGroups []string `yaml:"staff_groups"`
	Tags        []string `yaml:"tags"`
	HeroImage   string   `yaml:"hero_image"`
	HeroAlt     string   `yaml:"hero_alt"`
	Published   string   `yaml:"published"` // YYYY-MM-DD
}

// frontMatterKeys are the keys a file may use; any other is a mistake
// (a typo would otherwise be silently ignored).
var frontMatterKeys = []string{"slug", "title", "summary", "kind", "places", "staff_groups", "tags",
	"hero_image", "hero_alt", "published"}

// Files returns every shipped page, sorted by file name, ready for
// pages.Store.Import. The error names each file that is wrong and why.
func Files() ([]pages.File, error) {
	names, err := fs.Glob(pagesFS, "pages/*.md")
	if err != nil {
		return nil, err
	}
	var files []pages.File
	var errs []error
	for _, name := range names {
		raw, err := pagesFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := ParseFile(path.Base(name), raw)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return files, nil
}

// ParseFile reads one shipped page: YAML front matter between "---" lines,
// then the markdown body. name is the file's name, whose stem must be the
// slug; every error starts with it.
func ParseFile(name string, source []byte) (pages.File, error) {
	fm, body, err := splitFrontMatter(source)
	if err != nil {
		return pages.File{}, fmt.Errorf("%s: %w", name, err)
	}
	meta, err := decodeFrontMatter(fm)
	if err != nil {
		return pages.File{}, fmt.Errorf("%s: front matter: %w", name, err)
	}
	p := pages.Page{
		Kind: pages.Kind(meta.Kind), Slug: meta.Slug, Title: meta.Title, Summary: meta.Summary, Body: body,
		Places: meta.Places, StaffGroups: meta.StaffGroups, Tags: meta.Tags,
		HeroImage: meta.HeroImage, HeroAlt: meta.HeroAlt, Status: pages.Published,
	}
	problems := p.Validate()
	if !p.Kind.Valid() {
		var kinds []string
		for _, k := range pages.Kinds {
			kinds = append(kinds, string(k))
		}
		problems["kind"] = fmt.Sprintf("kind %q must be one of %s", meta.Kind, strings.Join(kinds, ", "))
	}
	if stem := strings.TrimSuffix(name, path.Ext(name)); meta.Slug != stem {
		problems["slug"] = fmt.Sprintf("slug %q must be the file's name without .md (%q)", meta.Slug, stem)
	}
	if meta.Published != "" {
		// A date, kept as midnight UTC so it reads as the same day in the UK.
		if p.PublishedAt, err = time.Parse(time.DateOnly, meta.Published); err != nil {
			problems["published"] = fmt.Sprintf("published %q must be a date written YYYY-MM-DD", meta.Published)
		}
	}
	if len(problems) > 0 {
		var list []string
		for _, field := range slices.Sorted(maps.Keys(problems)) {
			list = append(list, field+": "+problems[field])
		}
		return pages.File{}, fmt.Errorf("%s: %s", name, strings.Join(list, "; "))
	}
	sum := sha256.Sum256(source)
	return pages.File{Name: name, Page: p, Hash: hex.EncodeToString(sum[:])}, nil
}

// splitFrontMatter returns the YAML between the opening and closing "---"
// lines and the markdown after them.
func splitFrontMatter(source []byte) (front, body string, err error) {
	text := strings.ReplaceAll(string(bytes.TrimPrefix(source, []byte("\uFEFF"))), "\r\n", "\n")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return "", "", errors.New("no front matter (the file must start with a --- line)")
	}
	// Framed by line breaks, the closing line is found even right after
	// the opening one or at the very end of the file.
	yamlText, after, ok := strings.Cut("\n"+rest+"\n", "\n---\n")
	if !ok {
		return "", "", errors.New("front matter is not closed with a --- line")
	}
	return yamlText, strings.Trim(after, "\n"), nil
}

// decodeFrontMatter checks every key is known before decoding, so the
// message names the key rather than a Go type.
func decodeFrontMatter(front string) (frontMatter, error) {
	var meta frontMatter
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(front), &doc); err != nil {
		if strings.Contains(err.Error(), "mapping values are not allowed") {
			return meta, fmt.Errorf("%w (a value containing \": \" must be in quotes)", err)
		}
		return meta, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return meta, errors.New("must be keys and values (slug: ..., title: ...)")
	}
	mapping := doc.Content[0]
	for i := 0; i < len(mapping.Content); i += 2 {
		if key := mapping.Content[i].Value; !slices.Contains(frontMatterKeys, key) {
			return meta, fmt.Errorf("unknown key %q on line %d (known keys: %s)",
				key, mapping.Content[i].Line, strings.Join(frontMatterKeys, ", "))
		}
	}
	err := mapping.Decode(&meta)
	return meta, err
}
