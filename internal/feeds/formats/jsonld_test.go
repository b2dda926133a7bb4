package formats

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// jsonldSites are the test sites under testdata/jsonld: each is read from
// its listing (or sitemap) and its pages are served from memory.
var jsonldSites = []struct {
	dir, host, baseURL, listing string
}{
	{"careers-site", "careers.northfens.nhs.uk", "https://careers.northfens.nhs.uk/vacancies", "vacancies.html"},
	{"sitemap-site", "fenlandcare.example", "https://fenlandcare.example/sitemap_index.xml", "sitemap_index.xml"},
}

func TestJSONLD_MatchesGoldenFiles(t *testing.T) {
	for _, s := range jsonldSites {
		t.Run(s.dir, func(t *testing.T) {
			site := loadSite(t, s.dir, s.host)
			doc, err := os.ReadFile(filepath.Join("testdata", "jsonld", s.dir, s.listing))
			if err != nil {
				t.Fatal(err)
			}
			items, err := collect(JSONLD, doc, Mapping{Fields: map[string]string{"base_url": s.baseURL}}, site.fetch)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			checkItems(t, items)
			checkGolden(t, filepath.Join("testdata", "jsonld", s.dir+".golden.json"), items)
		})
	}
}

func TestJSONLD_FollowsOnlyJobPagesOnTheSite(t *testing.T) {
	s := jsonldSites[0]
	site := loadSite(t, s.dir, s.host)
	doc, _ := os.ReadFile(filepath.Join("testdata", "jsonld", s.dir, s.listing))
	if _, err := collect(JSONLD, doc, Mapping{Fields: map[string]string{"base_url": s.baseURL}}, site.fetch); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"https://careers.northfens.nhs.uk/",
		"https://careers.northfens.nhs.uk/jobs/staff-nurse-ely",
		"https://careers.northfens.nhs.uk/jobs/hca-march?utm=list",
		"https://www.careers.northfens.nhs.uk/jobs/bank-hca",
		"https://careers.northfens.nhs.uk/jobs/broken-json",
		"https://careers.northfens.nhs.uk/jobs/gone",
	}
	if !reflect.DeepEqual(site.asked, want) {
		t.Errorf("fetched\n%s\nwant\n%s", strings.Join(site.asked, "\n"), strings.Join(want, "\n"))
	}
}

func TestJSONLD_LinkPrefixNarrowsThePages(t *testing.T) {
	s := jsonldSites[0]
	site := loadSite(t, s.dir, s.host)
	doc, _ := os.ReadFile(filepath.Join("testdata", "jsonld", s.dir, s.listing))
	m := Mapping{Fields: map[string]string{"base_url": s.baseURL, "link_prefix": "/jobs/hca"}}
	items, err := collect(JSONLD, doc, m, site.fetch)
	if err != nil {
		t.Fatal(err)
	}
	if len(site.asked) != 1 || len(items) != 2 || items[1].Reference != "288-HCA-0042" {
		t.Errorf("fetched %v, got %+v", site.asked, items)
	}
}

// jobPage is an HTML page holding one JSON-LD block.
func jobPage(jsonld string) string {
	return `<html><head><script type="application/ld+json">` + jsonld + `</script></head></html>`
}

func TestJSONLD_ReadsJobPostingShapes(t *testing.T) {
	tests := []struct {
		name, jsonld string
		check        func(Item) bool
	}{
		{"@type as a list with a prefix", `{"@type": ["Thing", "schema:JobPosting"], "title": "Porter"}`,
			func(it Item) bool { return it.Title == "Porter" }},
		{"inside a WebPage's mainEntity", `{"@type": "WebPage", "mainEntity": {"@type": "JobPosting", "title": "Porter"}}`,
			func(it Item) bool { return it.Title == "Porter" }},
		{"identifier as a number", `{"@type": "JobPosting", "identifier": 42}`,
			func(it Item) bool { return it.Reference == "42" }},
		{"identifier as a PropertyValue", `{"@type": "JobPosting", "identifier": {"@type": "PropertyValue", "name": "Trust", "value": "T-1"}}`,
			func(it Item) bool { return it.Reference == "T-1" }},
		{"salary as text", `{"@type": "JobPosting", "baseSalary": "£24,071 - £25,674"}`,
			func(it Item) bool { return it.Salary == "£24,071 - £25,674" }},
		{"salary with one value", `{"@type": "JobPosting", "baseSalary": {"currency": "GBP", "value": {"value": "12.45", "unitText": "HOUR"}}}`,
			func(it Item) bool {
				return it.SalaryMin == "12.45" && it.SalaryMax == "12.45" && it.SalaryUnit == "HOUR" && it.SalaryCurrency == "GBP"
			}},
		{"salary as a bare number value", `{"@type": "JobPosting", "baseSalary": {"@type": "MonetaryAmount", "value": 30000}}`,
			func(it Item) bool { return it.SalaryMin == "30000" && it.SalaryMax == "30000" }},
		{"estimatedSalary when no baseSalary", `{"@type": "JobPosting", "estimatedSalary": {"minValue": 1, "maxValue": 2}}`,
			func(it Item) bool { return it.SalaryMin == "1" && it.SalaryMax == "2" }},
		{"coordinates as strings", `{"@type": "JobPosting", "jobLocation": {"geo": {"latitude": "52.1", "longitude": "-.262406"}}}`,
			func(it Item) bool { return len(it.Locations) == 1 && it.Locations[0].Lon == "-.262406" }},
		{"location as text", `{"@type": "JobPosting", "jobLocation": "Ely"}`,
			func(it Item) bool { return len(it.Locations) == 1 && it.Locations[0].Text == "Ely" }},
		{"occupationalCategory as a CategoryCode", `{"@type": "JobPosting", "occupationalCategory": {"@type": "CategoryCode", "codeValue": "29-1141", "name": "Nurses"}}`,
			func(it Item) bool { return it.Category == "Nurses" }},
		{"relative url", `{"@type": "JobPosting", "url": "/apply?id=1&amp;src=2"}`,
			func(it Item) bool { return it.URL == "https://site.test/apply?id=1&src=2" }},
		{"raw line breaks and a trailing comma", "{\"@type\": \"JobPosting\", \"description\": \"One\n\tTwo\",}",
			func(it Item) bool { return it.Description == "One\n\tTwo" }},
		{"CDATA wrapper", `//<![CDATA[
			{"@type": "JobPosting", "title": "Porter"}
			//]]>`,
			func(it Item) bool { return it.Title == "Porter" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			listing := jobPage(tt.jsonld)
			m := Mapping{Fields: map[string]string{"base_url": "https://site.test/jobs/1"}}
			items, err := collect(JSONLD, []byte(listing), m, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkItems(t, items)
			if len(items) != 1 || !tt.check(items[0]) {
				t.Errorf("got %+v", items)
			}
		})
	}
}

func TestJSONLD_FailsWhenEveryPageFails(t *testing.T) {
	listing := `<a href="/jobs/1">1</a> <a href="/jobs/2">2</a>`
	down := func(context.Context, string) (io.ReadCloser, error) {
		return nil, errors.New("503 Service Unavailable")
	}
	items, err := collect(JSONLD, []byte(listing), Mapping{Fields: map[string]string{"base_url": "https://site.test/"}}, down)
	if err == nil || !strings.Contains(err.Error(), "all 2 pages failed") || !strings.Contains(err.Error(), "503") {
		t.Fatalf("err = %v, want all pages failed", err)
	}
	if len(items) != 2 || items[0].Problem == "" || items[0].URL != "https://site.test/jobs/1" {
		t.Errorf("got %+v, want a problem item per page", items)
	}
}

func TestJSONLD_NoJobPostingAnywhereIsMalformed(t *testing.T) {
	listing := `<html><body><p>We have no vacancies at present.</p><a href="/about">About</a></body></html>`
	empty := func(context.Context, string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader("<html></html>")), nil
	}
	_, err := collect(JSONLD, []byte(listing), Mapping{Fields: map[string]string{"base_url": "https://site.test/"}}, empty)
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("err = %v, want ErrMalformed", err)
	}
}

func TestJSONLD_NeedsTheBaseURL(t *testing.T) {
	for _, base := range []string{"", "/vacancies", "ftp://site.test/", "https://"} {
		_, err := collect(JSONLD, []byte(jobPage(`{"@type": "JobPosting"}`)), Mapping{Fields: map[string]string{"base_url": base}}, nil)
		if err == nil || !strings.Contains(err.Error(), "base_url") {
			t.Errorf("base_url %q: err = %v", base, err)
		}
	}
}

func TestJSONLD_RefusesListingsWithTooManyLinks(t *testing.T) {
	var listing strings.Builder
	for i := range maxJobPages + 1 {
		fmt.Fprintf(&listing, `<a href="/p/%d">x</a>`, i)
	}
	fetched := 0
	fetch := func(context.Context, string) (io.ReadCloser, error) { fetched++; return nil, errors.New("no") }
	_, err := collect(JSONLD, []byte(listing.String()), Mapping{Fields: map[string]string{"base_url": "https://site.test/"}}, fetch)
	if err == nil || !strings.Contains(err.Error(), "link_prefix") || fetched != 0 {
		t.Errorf("err = %v after %d fetches; want a link_prefix error before fetching", err, fetched)
	}
}

func TestJSONLD_StopsWhenContextIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	listing := `<a href="/jobs/1">1</a><a href="/jobs/2">2</a><a href="/jobs/3">3</a>`
	fetched := 0
	fetch := func(context.Context, string) (io.ReadCloser, error) {
		fetched++
		cancel()
		return io.NopCloser(strings.NewReader(jobPage(`{"@type": "JobPosting", "title": "x"}`))), nil
	}
	err := JSONLD(ctx, strings.NewReader(listing), Mapping{Fields: map[string]string{"base_url": "https://site.test/"}}, fetch,
		func(Item) error { return nil })
	if !errors.Is(err, context.Canceled) || fetched != 1 {
		t.Errorf("err = %v after %d fetches; want context.Canceled after 1", err, fetched)
	}
}
