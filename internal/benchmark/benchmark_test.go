package benchmark

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/search"
)

// These tests check the driver's arithmetic, report and fixed inputs. They
// time nothing: `make bench` measures, `make test` only keeps it honest.

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

func TestPercentile_NearestRank(t *testing.T) {
	samples := []time.Duration{ms(5), ms(1), ms(4), ms(2), ms(3), ms(10), ms(6), ms(8), ms(7), ms(9)}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{
		{50, ms(5)}, {95, ms(10)}, {90, ms(9)}, {10, ms(1)}, {100, ms(10)}, {1, ms(1)},
	} {
		if got := percentile(samples, tc.p); got != tc.want {
			t.Errorf("p%v = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("p50 of nothing = %v, want 0", got)
	}
	if samples[0] != ms(5) {
		t.Error("percentile sorted the caller's slice")
	}
}

func TestMedian_OfThreeRunsIsTheMiddleOne(t *testing.T) {
	if got := median([]time.Duration{ms(30), ms(10), ms(20)}); got != ms(20) {
		t.Errorf("median = %v, want 20ms", got)
	}
}

func TestQuerySet_EveryQueryIsValidForTheSite(t *testing.T) {
	seen := map[string]bool{}
	for _, q := range querySet {
		values, err := url.ParseQuery(q.Params)
		if err != nil {
			t.Errorf("%q: %v", q.Params, err)
			continue
		}
		if _, err := search.ParseVacancyQuery(values, geo.Default()); err != nil {
			t.Errorf("%q: the site would answer 400: %v", q.Params, err)
		}
		if seen[q.Params] {
			t.Errorf("%q is in the set twice", q.Params)
		}
		seen[q.Params] = true
	}
	if len(querySet) < 30 {
		t.Errorf("%d queries; the mix needs at least 30 to say anything about p95", len(querySet))
	}
}

func TestCheckOwnDatabase_RefusesADatabaseThatIsNotTheBenchmarks(t *testing.T) {
	for _, tc := range []struct {
		url, prefix string
		ok          bool
	}{
		{"postgres://postgres@127.0.0.1:5432/portal_bench?sslmode=disable", "bench_", true},
		{"postgres://postgres@127.0.0.1:5432/portal?sslmode=disable", "bench_", false},
		{"postgres://postgres@127.0.0.1:5432/portal_bench?sslmode=disable", "", false},
	} {
		err := checkOwnDatabase(config.Config{DatabaseURL: tc.url, IndexPrefix: tc.prefix})
		if (err == nil) != tc.ok {
			t.Errorf("%s with prefix %q: err = %v, want ok=%v", tc.url, tc.prefix, err, tc.ok)
		}
	}
}

func TestMarkdown_ReportsRatiosAndWhetherTargetsAreMet(t *testing.T) {
	rep := &Report{
		Options: Options{Warmup: 2, Commit: "abc1234"}, Started: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
		Written: 50000, MeiliVersion: "1.21.0", PeakRSS: 300 << 20,
		Indexing: IndexingResult{
			Documents: 48000, Batches: 24,
			Portal: []time.Duration{ms(12000), ms(14000), ms(13000)},
			Raw:    []time.Duration{ms(10000), ms(10500), ms(9000)},
		},
		Latency: LatencyResult{
			Queries: querySet[:1], Rounds: 2, Searches: []int{1},
		},
	}
	rep.Latency.All = [sides][]time.Duration{
		sidePage: {ms(30), ms(40)}, sideAPI: {ms(11), ms(12)}, sideRaw: {ms(10), ms(10)}, sideRawGzip: {ms(50), ms(50)},
	}
	rep.Latency.PerQuery = [][sides][]time.Duration{rep.Latency.All}
	var b strings.Builder
	rep.Markdown(&b)
	out := b.String()
	for _, want := range []string{
		"50,000 synthetic vacancies (48,000 live documents)",
		"| 13.00 s | 12.00, 14.00, 13.00 s | 1.30×",   // rebuild median and ratio to the raw median (10 s)
		"rebuild within 1.5× of raw: **met** (1.30×)", // 1.30 <= 1.5
		"| /jobs page ",
		"page p50 within 1.3× of raw: **missed** (3.00×)",
		"commit abc1234",
		"`q=nurse`",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 50000: "50,000", 1234567: "1,234,567", -4000: "-4,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
