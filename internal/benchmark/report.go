package benchmark

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"
)

// Markdown writes the report as the README's performance section shows
// it, then a table per query: markdown tables whose columns line up, so
// the same text reads well in a terminal.
func (r *Report) Markdown(w io.Writer) {
	o, ix, lat := r.Options, r.Indexing, r.Latency
	fmt.Fprintf(w, "Measured by `make bench` on %s: %s synthetic vacancies (%s live documents), Meilisearch %s, "+
		"%s, %d CPUs, commit %s.\n\n", r.Started.Format("2006-01-02"), thousands(r.Written), thousands(ix.Documents),
		r.MeiliVersion, runtime.Version(), runtime.NumCPU(), orDash(o.Commit))

	r.indexingMarkdown(w)
	fmt.Fprintf(w, "**Search**: %d mixed queries × %d rounds (after %d warm-up rounds), one request at a time over "+
		"keep-alive HTTP; the raw side replays the exact multi-search the site sends. Raw Meilisearch is timed "+
		"without asking for gzip (as the portal does), and again with it, to show what gzip costs.\n\n", len(lat.Queries), lat.Rounds, o.Warmup)
	rows := [][]string{}
	for side := range sides {
		row := []string{sideNames[side], millis(lat.P(side, 50)), millis(lat.P(side, 95))}
		if side == sideRaw {
			row = append(row, "1.00×", "1.00×")
		} else {
			row = append(row, times(lat.Ratio(side, 50)), times(lat.Ratio(side, 95)))
		}
		rows = append(rows, row)
	}
	table(w, []string{"", "p50", "p95", "p50 vs raw", "p95 vs raw"}, rows)
	fmt.Fprintf(w, "\nTarget: page p50 within %.1f× of raw: **%s** (%.2f×). Asking Meilisearch 1.21 for gzip "+
		"tends to cost about 40 ms: it sends a compressed answer's headers and body in two writes without "+
		"TCP_NODELAY, so the body waits for the client's delayed ACK.\n\n", PageTarget,
		verdict(lat.Ratio(sidePage, 50), PageTarget), lat.Ratio(sidePage, 50))

	fmt.Fprintf(w, "Peak memory (VmHWM): the benchmark process %s (it holds every document for the raw side and "+
		"serves the site)", megabytes(r.PeakRSS))
	if r.MeiliPeakRSS > 0 {
		fmt.Fprintf(w, ", Meilisearch %s", megabytes(r.MeiliPeakRSS))
	}
	fmt.Fprintf(w, ". Writing the vacancies to PostgreSQL took %s.\n", seconds(r.WriteTime))
	if lat.Encoding != "" {
		fmt.Fprintf(w, "Asked for gzip, Meilisearch answered with Content-Encoding %s.\n", lat.Encoding)
	}
	fmt.Fprintf(w, "\n**Per query** (p50 over %d rounds; searches = queries in the multi-search):\n\n", lat.Rounds)
	rows = nil
	for i, q := range lat.Queries {
		page, api, raw, gz := median(lat.PerQuery[i][sidePage]), median(lat.PerQuery[i][sideAPI]),
			median(lat.PerQuery[i][sideRaw]), median(lat.PerQuery[i][sideRawGzip])
		params := q.Params
		if params == "" {
			params = "(none)"
		}
		rows = append(rows, []string{q.Kind, "`" + params + "`", fmt.Sprint(lat.Searches[i]), millis(page), millis(api), millis(raw),
			millis(gz), times(ratio(page, raw)), times(ratio(api, raw))})
	}
	table(w, []string{"kind", "query", "searches", "page", "API", "raw", "raw gzip", "page/raw", "API/raw"}, rows)
}

func (r *Report) indexingMarkdown(w io.Writer) {
	ix := r.Indexing
	if len(ix.Portal) == 0 {
		fmt.Fprint(w, "**Indexing**: not timed (BENCH_INDEX_RUNS=0).\n\n")
		return
	}
	fmt.Fprintf(w, "**Indexing**: full rebuild vs raw document adds of the same documents "+
		"(median of %d runs each, alternating; batches of %s).\n\n", len(ix.Portal), thousands(ix.Documents/max(ix.Batches, 1)))
	table(w, []string{"", "median", "runs", "vs raw"}, [][]string{
		{"`portal reindex` (PostgreSQL → fresh index → swap)", seconds(ix.PortalMedian()), runList(ix.Portal), times(ix.Ratio())},
		{"raw Meilisearch (create, settings, adds, wait)", seconds(ix.RawMedian()), runList(ix.Raw), "1.00×"},
	})
	fmt.Fprintf(w, "\nTarget: rebuild within %.1f× of raw: **%s** (%.2f×). Reading PostgreSQL and building the "+
		"documents alone takes %s; JSON-encoding them %s.\n\n", IndexingTarget, verdict(ix.Ratio(), IndexingTarget),
		ix.Ratio(), seconds(ix.ReadBuild), seconds(ix.Encode))

}

// table writes a markdown table with padded columns.
func table(w io.Writer, header []string, rows [][]string) {
	widths := make([]int, len(header))
	for _, row := range append([][]string{header}, rows...) {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell), 3)
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString("|")
		for i, cell := range cells {
			b.WriteString(" " + cell + strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)) + " |")
		}
		fmt.Fprintln(w, b.String())
	}
	line(header)
	rule := make([]string, len(header))
	for i := range rule {
		rule[i] = strings.Repeat("-", widths[i])
	}
	line(rule)
	for _, row := range rows {
		line(row)
	}
}

func verdict(got, target float64) string {
	if got <= target {
		return "met"
	}
	return "missed"
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func millis(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func times(x float64) string { return fmt.Sprintf("%.2f×", x) }

func megabytes(n int64) string { return fmt.Sprintf("%d MB", n>>20) }

func runList(ds []time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%.2f", d.Seconds())
	}
	return strings.Join(parts, ", ") + " s"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// thousands writes n with commas: 50000 -> "50,000".
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
