package formats

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// generatedFeed writes an Indeed feed of n jobs of about 2 KB each as it is
// read, so the benchmark measures the parser's memory, not the input's.
type generatedFeed struct {
	n, written int
	buf        bytes.Buffer
	closed     bool
	size       int64
}

var benchDescription = strings.Repeat("<p>We&rsquo;re looking for a caring, motivated nurse to join our A&amp;E team. "+
	"You will work days and nights on a 37.5 hour rota &ndash; flexible working considered.</p>\n", 10)

func (g *generatedFeed) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && !g.closed {
		switch {
		case g.written == 0 && g.buf.Len() == 0 && g.size == 0:
			g.buf.WriteString("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<source>\n")
		case g.written < g.n:
			g.written++
			fmt.Fprintf(&g.buf, `<job>
  <title><![CDATA[ Staff Nurse %d ]]></title>
  <date><![CDATA[2025-03-01T09:00:00+0100]]></date>
  <referencenumber><![CDATA[REF-%07d]]></referencenumber>
  <url><![CDATA[https://careers.example.nhs.uk/jobs/%d?src=indeed]]></url>
  <company><![CDATA[North Fens NHS Foundation Trust]]></company>
  <city><![CDATA[ELY]]></city><state>Cambridgeshire</state><country>GB</country><postalcode>CB6 1DN</postalcode>
  <description><![CDATA[%s]]></description>
  <salary><![CDATA[£28,407 - £34,581 per annum]]></salary>
  <jobtype>Full-time</jobtype><category>Nursing</category><expirationdate>2025-03-31</expirationdate>
</job>
`, g.written, g.written, g.written, benchDescription)
		default:
			g.buf.WriteString("</source>\n")
			g.closed = true
		}
	}
	n, err := g.buf.Read(p)
	g.size += int64(n)
	return n, err
}

// peakHeap samples the live heap until stop is called and returns its
// highest value.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak.Load()
	}
}

// BenchmarkIndeed50k parses a 50,000-job (about 100 MB) Indeed feed and
// reports the highest live heap seen while doing so.
func BenchmarkIndeed50k(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		feed := &generatedFeed{n: 50_000}
		stop := peakHeap()
		jobs := 0
		err := Indeed(context.Background(), feed, Mapping{}, nil, func(it Item) error {
			jobs++
			return nil
		})
		peak := stop()
		if err != nil || jobs != 50_000 {
			b.Fatalf("parsed %d jobs, err %v", jobs, err)
		}
		b.SetBytes(feed.size)
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(feed.size)/(1<<20), "feed-MiB")
	}
}
