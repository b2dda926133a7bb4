package feeds_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/jobs"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

// job is one <job> of an Indeed feed the test server serves.
type job struct{ ref, title, town, closing string }

func indeedXML(list ...job) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n<source><publisher>Test trust</publisher>\n")
	for _, j := range list {
		closing := j.closing
		if closing == "" {
			closing = vt.Today.AddDate(0, 0, 20).Format("2006-01-02")
		}
		fmt.Fprintf(&b, `<job><title><![CDATA[%s]]></title><date>%s</date><referencenumber>%s</referencenumber>
<url>https://fen-valley.example/jobs/%s</url><company>Fen Valley</company><city>%s</city><country>GB</country>
<description><![CDATA[<p>Join our friendly team caring for people across the Fens. Full training given.</p>]]></description>
<salary>£24,937 - £26,470 per annum</salary><jobtype>Full-time, Permanent</jobtype><category>Nursing</category>
<expirationdate>%s</expirationdate></job>
`, j.title, vt.Today.AddDate(0, 0, -2).Format("2006-01-02"), j.ref, j.ref, j.town, closing)
	}
	b.WriteString("</source>\n")
	return b.String()
}

// feedServer serves a document that a test can change between runs, with
// an ETag so an unchanged document answers 304.
type feedServer struct {
	mu   sync.Mutex
	body string
	hits int
	*httptest.Server
}

func newFeedServer(t *testing.T) *feedServer {
	fs := &feedServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		body := fs.body
		fs.hits++
		fs.mu.Unlock()
		etag := fmt.Sprintf(`"%x"`, len(body)*31+strings.Count(body, "e"))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, body)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) serve(body string) {
	fs.mu.Lock()
	fs.body = body
	fs.mu.Unlock()
}

type fixture struct {
	runner  *feeds.Runner
	search  *search.Client
	vs      *vacancies.Store
	partner partners.Partner
}

// setUp gives the test empty tables, its own index and the real River
// workers, so search shows what the outbox delivers.
func setUp(t *testing.T) *fixture {
	t.Helper()
	pool, ps, vs := vt.Stores(t)
	client := search.New(testenv.ConfigForTest(t))
	if err := client.EnsureVacancyIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner := feeds.NewRunner(pool, vs, geo.Default(), logger)
	runner.Fetcher = feeds.NewFetcher(5 * time.Second)
	worker, err := jobs.NewClient(pool, jobs.Deps{Vacancies: vs, Syncer: search.NewSyncer(client, vs), Feeds: runner, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := worker.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = worker.Stop(context.Background()) })
	return &fixture{runner: runner, search: client, vs: vs, partner: vt.Partner(t, ps, "fen-valley", partners.NHSTrust)}
}

func (f *fixture) addFeed(t *testing.T, url, format string) int64 {
	t.Helper()
	id, err := f.runner.Feeds.Add(context.Background(), feeds.Feed{PartnerID: f.partner.ID, URL: url, Format: format, Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// searchable waits until search shows exactly these titles (sorted).
func (f *fixture) searchable(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got []string
	for time.Now().Before(deadline) {
		res, err := f.search.Vacancies(context.Background(), search.VacancyQuery{Page: 1, Sort: "newest"})
		if err == nil {
			got = got[:0]
			for _, h := range res.Hits {
				got = append(got, h.Title)
			}
			if sameSet(got, want) {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("search shows %v, want %v", got, want)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, s := range a {
		count[s]++
	}
	for _, s := range b {
		count[s]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestRun_FollowsAFeedThroughAddsUpdatesRemovalsAndBadRuns(t *testing.T) {
	f := setUp(t)
	server := newFeedServer(t)
	id := f.addFeed(t, server.URL, "indeed")
	ctx := context.Background()

	server.serve(indeedXML(job{"A1", "Staff Nurse", "Wisbech", ""}, job{"B2", "Ward Clerk", "Ely", ""}, job{"C3", "Porter", "March", ""}))
	run, err := f.runner.Run(ctx, id, nil)
	if err != nil || run.Created != 3 || run.Status != "succeeded" {
		t.Fatalf("first run: %+v %v", run, err)
	}
	f.searchable(t, "Staff Nurse", "Ward Clerk", "Porter")

	run, err = f.runner.Run(ctx, id, nil)
	if err != nil || run.Status != "not_modified" {
		t.Fatalf("unchanged document: %+v %v, want not_modified", run, err)
	}

	server.serve(indeedXML(job{"A1", "Senior Staff Nurse", "Wisbech", ""}, job{"B2", "Ward Clerk", "Ely", ""},
		job{"D4", "Phlebotomist", "Chatteris", ""}, job{"E5", "", "Ely", ""}, job{"F6", "Dietitian", "Atlantis", ""}))
	run, err = f.runner.Run(ctx, id, nil)
	if err != nil || run.Created != 1 || run.Updated != 1 || run.Unchanged != 1 || run.Closed != 1 || run.Rejected != 2 {
		t.Fatalf("changed document: %+v %v, want 1 new, 1 updated, 1 unchanged, 1 closed, 2 rejected", run, err)
	}
	f.searchable(t, "Senior Staff Nurse", "Ward Clerk", "Phlebotomist")
	rejections, err := f.runner.Feeds.Rejections(ctx, run.ID)
	if err != nil || len(rejections) != 2 || rejections[0].Position != 4 || !strings.Contains(rejections[1].Reason, "Atlantis") {
		t.Errorf("rejections: %+v %v, want item 4 (no title) and item 5 (unknown place Atlantis)", rejections, err)
	}

	server.serve(indeedXML(job{"A1", "Senior Staff Nurse", "Wisbech", ""}) + "<job><title>broken")
	run, err = f.runner.Run(ctx, id, nil)
	if err == nil || run.Status != "failed" {
		t.Fatalf("malformed document: %+v %v, want a failed run", run, err)
	}
	f.searchable(t, "Senior Staff Nurse", "Ward Clerk", "Phlebotomist")
}

func TestRun_KilledMidwayThenRerunEndsWithExactlyTheFeed(t *testing.T) {
	f := setUp(t)
	var list []job
	for i := range 1200 {
		list = append(list, job{fmt.Sprintf("R%04d", i), fmt.Sprintf("Healthcare Assistant %d", i), "Ely", ""})
	}
	doc := indeedXML(list...)
	release := make(chan struct{})
	stalling := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		half := len(doc) / 2
		io.WriteString(w, doc[:half])
		w.(http.Flusher).Flush()
		<-release // the process "dies" while the document is half read
	}))
	defer stalling.Close()
	defer close(release)
	id := f.addFeed(t, stalling.URL, "indeed")

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(2*time.Second, cancel)
	run, err := f.runner.Run(ctx, id, nil)
	if err == nil || run.Status != "failed" {
		t.Fatalf("killed run: %+v %v, want failed", run, err)
	}
	if counts, _ := f.vs.LiveCounts(context.Background()); counts.Live != 0 {
		t.Fatalf("a killed run left %d vacancies", counts.Live)
	}

	whole := newFeedServer(t)
	whole.serve(doc)
	if _, err := f.runner.Feeds.Remove(context.Background(), id, f.vs); err != nil {
		t.Fatal(err)
	}
	id = f.addFeed(t, whole.URL, "indeed")
	for range 2 { // the rerun, and once more: still exactly the feed
		if run, err := f.runner.Run(context.Background(), id, nil); err != nil {
			t.Fatalf("rerun: %+v %v", run, err)
		}
		whole.serve(doc + "\n") // a changed ETag, so the second pass reads it all again
	}
	if counts, _ := f.vs.LiveCounts(context.Background()); counts.Live != 1200 {
		t.Errorf("%d live vacancies after the rerun, want exactly 1200", counts.Live)
	}
}

func TestRun_TheSameRoleFromTwoFeedsShowsOnce(t *testing.T) {
	f := setUp(t)
	own, nhsJobs := newFeedServer(t), newFeedServer(t)
	ownID, nhsID := f.addFeed(t, own.URL, "indeed"), f.addFeed(t, nhsJobs.URL, "indeed")
	closing := vt.Today.AddDate(0, 0, 25).Format("2006-01-02")
	own.serve(indeedXML(job{"OWN-1", "Occupational Therapist", "Ely", closing}, job{"OWN-1", "Occupational Therapist", "Ely", closing}))
	nhsJobs.serve(indeedXML(job{"C9-555", "Occupational Therapist", "Ely", closing}))
	for _, id := range []int64{ownID, nhsID} {
		if run, err := f.runner.Run(context.Background(), id, nil); err != nil {
			t.Fatalf("feed %d: %+v %v", id, run, err)
		}
	}
	f.searchable(t, "Occupational Therapist")

	// Its own system drops it; NHS Jobs still lists it: it stays open.
	own.serve(indeedXML())
	if _, err := f.runner.Run(context.Background(), ownID, nil); err != nil {
		t.Fatal(err)
	}
	f.searchable(t, "Occupational Therapist")
	nhsJobs.serve(indeedXML())
	if _, err := f.runner.Run(context.Background(), nhsID, nil); err != nil {
		t.Fatal(err)
	}
	f.searchable(t)
}

func TestRun_HostileServersEndInAFailedRunWithAReason(t *testing.T) {
	f := setUp(t)
	f.runner.Fetcher = feeds.NewFetcher(1500 * time.Millisecond)
	f.runner.Fetcher.MaxBytes = 32 << 10
	endless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<source>")
		chunk := strings.Repeat("<job><title>x</title></job>", 1000)
		for range 100000 { // far past the limit: the client must stop reading
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	}))
	defer endless.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<source>")
		w.(http.Flusher).Flush()
		select {
		case <-time.After(10 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	var loop *httptest.Server
	loop = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, loop.URL+"/again", http.StatusFound)
	}))
	defer loop.Close()
	laughs := newFeedServer(t)
	laughs.serve(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><source><job><title>&lol3;</title></job></source>`)

	for name, tc := range map[string]struct{ url, want string }{
		"a body bigger than the limit": {endless.URL, "larger than the size limit"},
		"a server that stalls":         {slow.URL, "timeout"},
		"a redirect loop":              {loop.URL, "redirects"},
		"a missing file":               {"file:///nonexistent/feed.xml", "no such file"},
	} {
		id := f.addFeed(t, tc.url, "indeed")
		run, err := f.runner.Run(context.Background(), id, nil)
		if err == nil || run.Status != "failed" || !strings.Contains(run.Error, tc.want) {
			t.Errorf("%s: %+v %v, want a failed run saying %q", name, run, err, tc.want)
		}
	}
	// Entity expansion is never performed: the run ends quickly either way.
	id := f.addFeed(t, laughs.URL, "indeed")
	start := time.Now()
	_, _ = f.runner.Run(context.Background(), id, nil)
	if time.Since(start) > 10*time.Second {
		t.Error("an entity-expansion document took too long")
	}
	if counts, _ := f.vs.LiveCounts(context.Background()); counts.Live != 0 {
		t.Errorf("hostile documents created %d vacancies", counts.Live)
	}
}

func TestDueAndHealth_FollowEachFeedsInterval(t *testing.T) {
	f := setUp(t)
	server := newFeedServer(t)
	server.serve(indeedXML(job{"A1", "Staff Nurse", "Wisbech", ""}))
	ctx := context.Background()
	hourly := f.addFeed(t, server.URL, "indeed")
	broken := f.addFeed(t, server.URL+"/other", "indeed")
	now := time.Now()
	due, err := f.runner.Feeds.Due(ctx, now)
	if err != nil || len(due) != 2 {
		t.Fatalf("before any run: due %v (%v), want both feeds", due, err)
	}
	server.serve("not xml at all")
	if _, err := f.runner.Run(ctx, broken, nil); err == nil {
		t.Fatal("a broken document ran without error")
	}
	server.serve(indeedXML(job{"A1", "Staff Nurse", "Wisbech", ""}))
	if _, err := f.runner.Run(ctx, hourly, nil); err != nil {
		t.Fatal(err)
	}
	if due, _ := f.runner.Feeds.Due(ctx, time.Now()); len(due) != 0 {
		t.Errorf("just after runs: due %v, want none", due)
	}
	if due, _ := f.runner.Feeds.Due(ctx, time.Now().Add(61*time.Minute)); len(due) != 2 {
		t.Errorf("an hour later: due %v, want both", due)
	}
	unhealthy, err := f.runner.Feeds.Unhealthy(ctx, time.Now())
	if err != nil || len(unhealthy) != 1 || unhealthy[0].FeedID != broken || !strings.Contains(unhealthy[0].Problem, "last run failed") {
		t.Errorf("unhealthy now: %+v (%v), want only the broken feed", unhealthy, err)
	}
	if unhealthy, _ := f.runner.Feeds.Unhealthy(ctx, time.Now().Add(4*time.Hour)); len(unhealthy) != 2 {
		t.Errorf("four hours on: %+v, want both (the good one is overdue)", unhealthy)
	}
}
