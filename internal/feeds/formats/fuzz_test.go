package formats

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// fuzzParser feeds arbitrary documents to p: it must not panic, must end
// promptly, and every item it emits must have a Position, in order, with
// valid, trimmed text.
func fuzzParser(f *testing.F, p Parser, m Mapping, seeds ...string) {
	for _, pattern := range seeds {
		paths, _ := filepath.Glob(filepath.Join("testdata", pattern))
		for _, path := range paths {
			if doc, err := os.ReadFile(path); err == nil {
				f.Add(doc)
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		// Pages a JSON-LD listing links to are the document again.
		fetch := func(context.Context, string) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(doc)), nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		watchdog := time.AfterFunc(30*time.Second, func() { panic(fmt.Sprintf("parse still running after 30s on %q", doc)) })
		defer watchdog.Stop()
		var items []Item
		_ = p(ctx, bytes.NewReader(doc), m, fetch, func(it Item) error {
			if it.Position <= 0 {
				t.Fatalf("emitted an item with Position %d", it.Position)
			}
			items = append(items, it)
			return nil
		})
		checkItems(t, items)
	})
}

func FuzzIndeed(f *testing.F) {
	f.Add([]byte("<source><job><title><![CDATA[ x ]]></titel></job></source>"))
	fuzzParser(f, Indeed, Mapping{}, "indeed/*.xml", "nhsjobs/*.xml")
}

func FuzzNHSJobs(f *testing.F) {
	f.Add([]byte("<nhsJobs><vacancyDetails><locations><location>A<town>B</town></location></locations></vacancyDetails></nhsJobs>"))
	fuzzParser(f, NHSJobs, Mapping{}, "nhsjobs/*.xml", "indeed/*.xml")
}

func FuzzJSONLD(f *testing.F) {
	f.Add([]byte(`<a href="/j">j</a><script type="application/ld+json">{"@type":"JobPosting","title":"x"}</script>`))
	m := Mapping{Fields: map[string]string{"base_url": "https://site.test/"}}
	fuzzParser(f, JSONLD, m, "jsonld/*/*.html", "jsonld/*/*.xml", "jsonld/*/jobs/*.html")
}

func FuzzCSV(f *testing.F) {
	m := Mapping{Fields: map[string]string{
		"reference": "job ref", "title": "job title", "description": "description",
		"location": "location", "postcode": "postcode", "salary": "salary",
	}}
	f.Add([]byte("Job Ref,Job Title,Location\nR1,\"Porter\nNights\",Ely;March\nR2,x\n"))
	fuzzParser(f, CSV, m, "csv/*.csv")
}

func FuzzJSON(f *testing.F) {
	m := Mapping{Fields: map[string]string{
		"reference": "ref", "title": "title", "description": "body", "employer": "organisation.name",
		"town": "sites.town", "lat": "sites.geo.lat", "contract": "tags",
	}}
	f.Add([]byte(`[{"ref": 1, "title": "A&amp;E", "sites": [{"town": "Ely"}]}, 2, null]`))
	// wrapped.json has no root in this mapping: it seeds the object path.
	fuzzParser(f, JSON, m, "json/api-array.json", "json/wrapped.json")
}
