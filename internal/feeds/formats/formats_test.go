package formats

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite testdata/**/*.golden.json from the parsers' output")

// collect runs p over doc and returns what it emitted and its error.
func collect(p Parser, doc []byte, m Mapping, fetch Fetch) ([]Item, error) {
	var items []Item
	err := p(context.Background(), bytes.NewReader(doc), m, fetch, func(it Item) error {
		items = append(items, it)
		return nil
	})
	return items, err
}

// checkItems asserts what every parser promises of every item: positions
// 1, 2, 3..., and text that is valid UTF-8 and trimmed.
func checkItems(t testing.TB, items []Item) {
	t.Helper()
	for i, it := range items {
		if it.Position != i+1 {
			t.Fatalf("item %d has Position %d", i+1, it.Position)
		}
		forEachText(it, func(field, s string) {
			if !utf8.ValidString(s) {
				t.Fatalf("item %d: %s is not UTF-8: %q", it.Position, field, s)
			}
			if strings.TrimSpace(s) != s {
				t.Fatalf("item %d: %s is not trimmed: %q", it.Position, field, s)
			}
		})
	}
}

// forEachText calls f with every string field of it and its locations.
func forEachText(it Item, f func(field, s string)) {
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		for i := range v.NumField() {
			name := prefix + v.Type().Field(i).Name
			switch fv := v.Field(i); fv.Kind() {
			case reflect.String:
				f(name, fv.String())
			case reflect.Slice:
				for j := range fv.Len() {
					walk(fmt.Sprintf("%s[%d].", name, j), fv.Index(j))
				}
			}
		}
	}
	walk("", reflect.ValueOf(it))
}

// goldenJSON renders items with only the fields that are set, in the
// order Item declares them, so golden files stay short enough to read.
func goldenJSON(items []Item) []byte {
	var buf bytes.Buffer
	buf.WriteString("[")
	for i, it := range items {
		if i > 0 {
			buf.WriteString(",")
		}
		writeSetFields(&buf, reflect.ValueOf(it))
	}
	buf.WriteString("]")
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		panic(err)
	}
	out.WriteString("\n")
	return out.Bytes()
}

func writeSetFields(buf *bytes.Buffer, v reflect.Value) {
	buf.WriteString("{")
	first := true
	for i := range v.NumField() {
		fv := v.Field(i)
		if fv.IsZero() {
			continue
		}
		if !first {
			buf.WriteString(",")
		}
		first = false
		name, _ := json.Marshal(v.Type().Field(i).Name)
		buf.Write(name)
		buf.WriteString(":")
		if fv.Kind() == reflect.Slice {
			buf.WriteString("[")
			for j := range fv.Len() {
				if j > 0 {
					buf.WriteString(",")
				}
				writeSetFields(buf, fv.Index(j))
			}
			buf.WriteString("]")
			continue
		}
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false) // keep <p> readable in golden files
		_ = enc.Encode(fv.Interface())
		buf.Truncate(buf.Len() - 1) // Encode's newline
	}
	buf.WriteString("}")
}

// checkGolden compares items with the golden file at path, or rewrites it
// under -update.
func checkGolden(t *testing.T, path string, items []Item) {
	t.Helper()
	got := goldenJSON(items)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it, then read it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("items differ from %s (run go test -update and diff):\n%s", path, got)
	}
}

// samples returns the documents in testdata/dir, leaving out mappings and
// golden files.
func samples(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("testdata", dir))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, ".golden.json") || strings.HasSuffix(name, ".mapping.json") {
			continue
		}
		paths = append(paths, filepath.Join("testdata", dir, name))
	}
	return paths
}

// withoutExt strips a sample's extension: testdata/csv/a.csv → testdata/csv/a.
func withoutExt(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path))
}

// sampleMapping reads the mapping beside a sample, if there is one.
func sampleMapping(t testing.TB, path string) Mapping {
	t.Helper()
	var m Mapping
	data, err := os.ReadFile(withoutExt(path) + ".mapping.json")
	if errors.Is(err, os.ErrNotExist) {
		return m
	}
	if err == nil {
		err = json.Unmarshal(data, &m)
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// testGoldenSamples parses every sample in testdata/dir and compares the
// items with its .golden.json.
func testGoldenSamples(t *testing.T, p Parser, dir string) {
	for _, path := range samples(t, dir) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			doc, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			items, err := collect(p, doc, sampleMapping(t, path), nil)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			checkItems(t, items)
			checkGolden(t, withoutExt(path)+".golden.json", items)
		})
	}
}

// site serves a directory of testdata pages from memory, as the runner's
// Fetch would serve a partner's site: https://host/jobs/a is jobs/a.html,
// https://host/ is index.html, and files with an extension are as named.
type site struct {
	host  string
	pages map[string][]byte
	asked []string // URLs fetched, in order
}

func loadSite(t testing.TB, dir, host string) *site {
	t.Helper()
	s := &site{host: host, pages: map[string][]byte{}}
	root := filepath.Join("testdata", "jsonld", dir)
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(root, path)
		s.pages["/"+filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *site) fetch(_ context.Context, raw string) (io.ReadCloser, error) {
	s.asked = append(s.asked, raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if strings.TrimPrefix(u.Hostname(), "www.") != s.host {
		return nil, fmt.Errorf("fetch %s: not the test site", raw)
	}
	path := u.Path
	switch {
	case path == "" || path == "/":
		path = "/index.html"
	case filepath.Ext(path) == "":
		path += ".html"
	}
	page, ok := s.pages[path]
	if !ok {
		return nil, fmt.Errorf("GET %s: 404 Not Found", raw)
	}
	return io.NopCloser(bytes.NewReader(page)), nil
}
