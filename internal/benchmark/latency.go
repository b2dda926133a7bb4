package benchmark

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

// The three ways a search is answered, in the order tables show them.
const (
	sidePage    = iota // GET /jobs: the HTML page
	sideAPI            // GET /api/v1/vacancies: the JSON API
	sideRaw            // POST /multi-search straight to Meilisearch: the baseline
	sideRawGzip        // the same, asking for gzip (which the portal does not)
	sides
)

var sideNames = [sides]string{"/jobs page", "/api/v1/vacancies", "raw Meilisearch", "raw Meilisearch, gzip"}

// LatencyResult holds every timed request, by side and by query.
type LatencyResult struct {
	Queries  []benchQuery
	Rounds   int
	All      [sides][]time.Duration
	PerQuery [][sides][]time.Duration // indexed like Queries
	Searches []int                    // Meilisearch queries in each query's multi-search
	Encoding string                   // Content-Encoding of Meilisearch's answers ("" for none)
}

// P returns side's p-th percentile over every query.
func (r LatencyResult) P(side int, p float64) time.Duration { return percentile(r.All[side], p) }

// Ratio is side's p-th percentile over raw Meilisearch's.
func (r LatencyResult) Ratio(side int, p float64) float64 {
	return ratio(r.P(side, p), r.P(sideRaw, p))
}

// prepared is one query ready to time on every side.
type prepared struct {
	page, api string // URLs on the site
	rawBody   []byte // the multi-search the site sends for it, byte for byte
	searches  int
}

// capturedRequest is a request the site made to Meilisearch.
type capturedRequest struct {
	method, path string
	body         []byte
}

// recorder is a reverse proxy to Meilisearch that keeps every request's
// body: a site whose search client points at it shows exactly what the
// portal asks Meilisearch for each page, without copying any of its code.
type recorder struct {
	proxy *httputil.ReverseProxy
	mu    sync.Mutex
	seen  []capturedRequest
}

func newRecorder(meiliURL string) (*recorder, error) {
	target, err := url.Parse(meiliURL)
	if err != nil {
		return nil, err
	}
	return &recorder{proxy: &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) }}}, nil
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	rec.mu.Lock()
	rec.seen = append(rec.seen, capturedRequest{r.Method, r.URL.Path, body})
	rec.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	rec.proxy.ServeHTTP(w, r)
}

// take returns the requests seen since the last call.
func (rec *recorder) take() []capturedRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	seen := rec.seen
	rec.seen = nil
	return seen
}

// prepare asks the recording site for each query's page and API answer,
// keeps the one multi-search each sent (which must be the same for both),
// and checks that replaying it to Meilisearch finds what the API reported.
func prepare(ctx context.Context, client, rawClient *http.Client, siteURL, recordingSiteURL string, rec *recorder, raw *rawMeili, queries []benchQuery) ([]prepared, string, error) {
	var out []prepared
	encoding := ""
	for _, q := range queries {
		p := prepared{page: siteURL + "/jobs?" + q.Params, api: siteURL + "/api/v1/vacancies?" + q.Params}
		var bodies [2][]byte
		var api []byte
		for i, path := range []string{"/jobs?", "/api/v1/vacancies?"} {
			body, err := get(ctx, client, recordingSiteURL+path+q.Params)
			if err != nil {
				return nil, "", fmt.Errorf("query %q: %w", q.Params, err)
			}
			seen := rec.take()
			if len(seen) != 1 || seen[0].method != http.MethodPost || seen[0].path != "/multi-search" {
				return nil, "", fmt.Errorf("query %q: GET %s made %d requests to Meilisearch, want one multi-search", q.Params, path, len(seen))
			}
			bodies[i], api = seen[0].body, body
		}
		if !bytes.Equal(bodies[0], bodies[1]) {
			return nil, "", fmt.Errorf("query %q: the page and the API send different searches:\n%s\n%s", q.Params, bodies[0], bodies[1])
		}
		p.rawBody = bodies[0]
		answer, _, err := postRaw(ctx, rawClient, raw, p.rawBody, true)
		if err != nil {
			return nil, "", fmt.Errorf("query %q: replay to Meilisearch: %w", q.Params, err)
		}
		if _, encoding, err = postRaw(ctx, client, raw, p.rawBody, false); err != nil {
			return nil, "", fmt.Errorf("query %q: replay to Meilisearch with gzip: %w", q.Params, err)
		}
		if p.searches, err = sameTotal(api, answer); err != nil {
			return nil, "", fmt.Errorf("query %q: %w", q.Params, err)
		}
		out = append(out, p)
	}
	return out, encoding, nil
}

// sameTotal checks that Meilisearch's answer to the replayed request counts
// as many hits as the API did, and returns how many searches it held.
func sameTotal(api, answer []byte) (int, error) {
	var a struct {
		Total int `json:"total"`
	}
	var m struct {
		Results []struct {
			TotalHits int `json:"totalHits"`
		} `json:"results"`
	}
	if err := json.Unmarshal(api, &a); err != nil {
		return 0, fmt.Errorf("decode the API's answer: %w", err)
	}
	if err := json.Unmarshal(answer, &m); err != nil || len(m.Results) == 0 {
		return 0, fmt.Errorf("decode Meilisearch's answer (%v): %.200s", err, answer)
	}
	if m.Results[0].TotalHits != a.Total {
		return 0, fmt.Errorf("the API found %d, the replayed search %d", a.Total, m.Results[0].TotalHits)
	}
	return len(m.Results), nil
}

// get fetches url and returns its body, failing on anything but 200.
func get(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %.300s", url, resp.Status, body)
	}
	return body, nil
}

// postRaw sends a multi-search to Meilisearch as the portal's client does
// (JSON body, bearer key, Accept-Encoding as client's transport sets it)
// and reads the whole answer. keep says whether to return it.
func postRaw(ctx context.Context, client *http.Client, raw *rawMeili, body []byte, keep bool) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, raw.url+"/multi-search", bytes.NewReader(body))
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+raw.key)
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	var answer []byte
	if keep || resp.StatusCode != http.StatusOK {
		answer, err = io.ReadAll(resp.Body)
	} else {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	if err != nil {
		return nil, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("%s: %.300s", resp.Status, answer)
	}
	// The transport strips Content-Encoding when it decompresses for us.
	enc := resp.Header.Get("Content-Encoding")
	if resp.Uncompressed {
		enc = "gzip"
	}
	return answer, enc, nil
}

// timeGet times one GET of url, reading the whole (decompressed) body.
func timeGet(ctx context.Context, client *http.Client, url string) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return took, nil
}

// timeRaw times one multi-search straight to Meilisearch.
func timeRaw(ctx context.Context, client *http.Client, raw *rawMeili, body []byte) (time.Duration, error) {
	start := time.Now()
	_, _, err := postRaw(ctx, client, raw, body, false)
	return time.Since(start), err
}

// measure warms every side up, then runs rounds of every query on every
// side, one request at a time. Each round visits the queries in a new
// shuffled order and rotates which side goes first, so neither drift nor
// a warm cache favours one side.
func measure(ctx context.Context, client, rawClient *http.Client, raw *rawMeili, queries []benchQuery, ready []prepared, warmup, rounds int, seed uint64) (LatencyResult, error) {
	res := LatencyResult{Queries: queries, Rounds: rounds, PerQuery: make([][sides][]time.Duration, len(queries))}
	for _, p := range ready {
		res.Searches = append(res.Searches, p.searches)
	}
	one := func(side int, p prepared) (time.Duration, error) {
		switch side {
		case sidePage:
			return timeGet(ctx, client, p.page)
		case sideAPI:
			return timeGet(ctx, client, p.api)
		case sideRaw:
			return timeRaw(ctx, rawClient, raw, p.rawBody)
		default:
			return timeRaw(ctx, client, raw, p.rawBody)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x6c61_7465_6e63_7921))
	order := make([]int, len(ready))
	for i := range order {
		order[i] = i
	}
	for round := -warmup; round < rounds; round++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for k, qi := range order {
			for s := range sides {
				side := (s + k + max(round, 0)) % sides
				took, err := one(side, ready[qi])
				if err != nil {
					return res, fmt.Errorf("query %q on %s: %w", queries[qi].Params, sideNames[side], err)
				}
				if round >= 0 {
					res.All[side] = append(res.All[side], took)
					res.PerQuery[qi][side] = append(res.PerQuery[qi][side], took)
				}
			}
		}
	}
	return res, nil
}
