package benchmark

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/feeds/normalise"
)

var feedToday = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func TestFeedDocument_EveryJobImportsAsALiveVacancy(t *testing.T) {
	const n = 400
	var doc bytes.Buffer
	size, sum, err := writeIndeedFeed(&doc, n, 1, feedToday)
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(doc.Len()) || len(sum) != 64 {
		t.Errorf("size %d (document %d bytes), sum %q", size, doc.Len(), sum)
	}
	nc := normalise.Context{PartnerID: 1, Today: feedToday}
	refs, titles, towns, groups := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	var descriptionBytes int
	err = formats.Indeed(context.Background(), &doc, formats.Mapping{}, nil, func(item formats.Item) error {
		descriptionBytes += len(item.Description)
		v, err := normalise.Vacancy(item, nc)
		if err != nil {
			t.Errorf("item %d (%s, %q) rejected: %v", item.Position, item.Reference, item.Title, err)
			return nil
		}
		if refs[v.ExternalRef] {
			t.Errorf("reference %s twice", v.ExternalRef)
		}
		refs[v.ExternalRef], titles[v.Title], towns[v.Locations[0].Name], groups[v.StaffGroup] = true, true, true, true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != n {
		t.Fatalf("%d jobs imported, want %d", len(refs), n)
	}
	if avg := descriptionBytes / n; avg < 800 || avg > 1600 {
		t.Errorf("descriptions average %d bytes, want about a kilobyte", avg)
	}
	if len(titles) < 60 || len(towns) < 50 || len(groups) < 8 {
		t.Errorf("too little variety: %d titles, %d towns, %d staff groups", len(titles), len(towns), len(groups))
	}
}

func TestFeedDocument_SameSeedSameDocument(t *testing.T) {
	var a, b bytes.Buffer
	_, sumA, _ := writeIndeedFeed(&a, 50, 7, feedToday)
	_, sumB, _ := writeIndeedFeed(&b, 50, 7, feedToday)
	if sumA != sumB || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two documents from the same seed and day differ")
	}
}

func TestFeedServer_AnswersAConditionalFetchWithNotModified(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.xml")
	if err := os.WriteFile(path, []byte("<source></source>"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(feedServer(path, "abc"))
	defer srv.Close()
	fetcher := feeds.NewFetcher(10 * time.Second)
	doc, err := fetcher.Open(context.Background(), feeds.Feed{URL: srv.URL + "/jobs.xml"})
	if err != nil {
		t.Fatal(err)
	}
	doc.Body.Close()
	if doc.ETag != `"abc"` {
		t.Fatalf("ETag %q", doc.ETag)
	}
	again, err := fetcher.Open(context.Background(), feeds.Feed{URL: srv.URL + "/jobs.xml", ETag: doc.ETag})
	if err != nil || !again.NotModified {
		t.Errorf("second fetch: not modified %v, err %v", again.NotModified, err)
	}
	resp, err := http.Get(srv.URL + "/other")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("/other answered %s", resp.Status)
		}
	}
}

func TestFeedConfig_RefusesADatabaseThatIsNotAFreshBenchmarkOne(t *testing.T) {
	main := config.Config{DatabaseURL: "postgres://postgres@127.0.0.1:5432/portal_bench", IndexPrefix: "bench_"}
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"postgres://postgres@127.0.0.1:5432/portal_bench_feed?sslmode=disable", true},
		{"postgres://postgres@127.0.0.1:5432/portal?sslmode=disable", false},
		{main.DatabaseURL, false}, // the main phase's, full of synthetic vacancies
		{"", false},
	} {
		cfg, err := feedConfig(main, tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err = %v, want ok=%v", tc.url, err, tc.ok)
		}
		if err == nil && cfg.IndexPrefix != "bench_feed_" {
			t.Errorf("index prefix %q, want bench_feed_", cfg.IndexPrefix)
		}
	}
}

func TestFeedMarkdown_ReportsTimesRatioAndMemoryAgainstTargets(t *testing.T) {
	finished := feedToday.Add(40 * time.Second)
	rep := &FeedReport{
		Options: FeedOptions{Jobs: 50000, Commit: "abc1234"}, Started: feedToday, MeiliVersion: "1.21.0",
		DocumentBytes: 80 << 20, SyncJobs: 100, Documents: 50000,
		Run:          feeds.Run{Items: 50000, Created: 50000, StartedAt: feedToday, FinishedAt: &finished},
		ToSearchable: ms(90000), FeedRun: ms(42000), SyncDrain: ms(48000), Raw: ms(50000), PeakRSS: 350 << 20,
	}
	var b strings.Builder
	rep.Markdown(&b, true)
	out := b.String()
	for _, want := range []string{
		"commit abc1234",
		"a 50,000-job Indeed XML document (80.0 MB)",
		"| 90.00 s | 1.80×",
		"within 1.5× of raw: **missed** (1.80×)",
		"350 MB; target under 300 MB: **missed**",
		"recorded 40.00 s itself",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestFeedMarkdown_AFailedRunIsAMissedTargetWithItsError(t *testing.T) {
	rep := &FeedReport{Options: FeedOptions{Jobs: 50000}, DocumentBytes: 80 << 20, FeedRun: ms(120500),
		PeakRSS: 70 << 20, Failure: "reading the feed: context deadline exceeded (exit status 1)"}
	var b strings.Builder
	rep.Markdown(&b, false)
	out := b.String()
	for _, want := range []string{"**missed**", "**failed** after 120.50 s with a peak RSS of 70 MB", "context deadline exceeded"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Measured by") {
		t.Error("a section of a longer report repeats its opening line")
	}
}
