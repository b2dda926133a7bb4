package formats

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
)

// Limits on what one JSON-LD run reads.
const (
	maxJobPages   = 5000    // links followed from one listing or sitemap
	maxSitemaps   = 50      // child sitemaps read from a sitemap index
	maxTokenBytes = 8 << 20 // one HTML token, e.g. a <script> block
)

// JSONLD reads schema.org JobPosting markup. The document is a listing
// page (HTML) or a sitemap (<urlset><url><loc>, or a <sitemapindex>
// whose sitemaps are fetched in turn). The parser emits the JobPostings on
// the document itself, then fetches each page it links to (<a href>,
// sitemap <loc>, ItemList ListItem urls), one level deep, in document
// order, and emits every JobPosting in each page's
// <script type="application/ld+json"> blocks.
//
// Mapping.Fields["base_url"] must be the document's own URL (the runner
// sets it to the feed URL): links are resolved against it and only links
// to its host (with or without www.) are followed, deduplicated, without
// fragments, skipping files such as .pdf. Fields["link_prefix"], when set,
// keeps only links whose path starts with it. More than 5000 links is an
// error asking for a link_prefix. Pages whose URL is the url of a
// JobPosting already on the listing are not fetched again.
//
// A page that cannot be fetched, or that has no JobPosting and JSON-LD
// that will not parse, is emitted as an Item with Problem set and URL the
// page's; the run goes on. It fails (the runner changes nothing) when every
// page failed, or when no JobPosting was found anywhere: a redesigned site
// must not read as a partner with no vacancies.
var JSONLD Parser = parseJSONLD

func parseJSONLD(ctx context.Context, r io.Reader, m Mapping, fetch Fetch, emit func(Item) error) error {
	base, err := url.Parse(strings.TrimSpace(m.Fields["base_url"]))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return errors.New(`jsonld: the mapping's base_url must be the feed's http(s) URL; the runner sets it`)
	}
	rr := &readRecorder{r: r}
	listing, err := scanPage(rr, true)
	if err != nil {
		return malformed("jsonld", rr, err)
	}
	run := &jsonldRun{ctx: ctx, fetch: fetch, emit: emit}
	self := *base
	self.Fragment, self.RawFragment = "", ""
	links := &linkSet{site: base, prefix: m.Fields["link_prefix"], seen: map[string]bool{self.String(): true}}
	pageBase := base
	if b, err := base.Parse(listing.base); err == nil && listing.base != "" && sameHost(b, base) {
		pageBase = b // <base href> on the listing page
	}

	for _, p := range listing.postings {
		it := jobPostingItem(p, pageBase)
		links.seen[it.URL] = true
		if err := run.send(it); err != nil {
			return err
		}
	}
	for _, href := range listing.links {
		links.add(pageBase, href)
	}
	for i, href := range listing.sitemaps {
		u, err := pageBase.Parse(strings.TrimSpace(href))
		if i >= maxSitemaps || err != nil || !sameHost(u, base) {
			continue
		}
		sitemap, err := run.page(u, true)
		if err != nil {
			return err
		}
		for _, loc := range sitemap.links {
			links.add(u, loc)
		}
	}
	if links.overflow {
		return fmt.Errorf("jsonld: the listing links to more than %d pages on its site; set the mapping's link_prefix to the job pages' path, e.g. /jobs/", maxJobPages)
	}
	for _, link := range links.list {
		page, _ := url.Parse(link)
		if err := run.jobPage(page); err != nil {
			return err
		}
	}

	return run.verdict(listing)
}

// verdict fails a run that read nothing: every page failed, or no
// JobPosting anywhere.
func (run *jsonldRun) verdict(listing pageScan) error {
	switch {
	case run.attempts > 0 && run.failures == run.attempts && len(listing.postings) == 0:
		return fmt.Errorf("jsonld: all %d pages failed; the first: %s", run.attempts, run.firstFailure)
	case run.postings == 0 && len(listing.postings) == 0:
		why := fmt.Sprintf("on the listing or the %d pages it links to (%d failed)", run.attempts, run.failures)
		if len(listing.broken) > 0 {
			why += "; the listing's JSON-LD would not parse: " + listing.broken[0]
		}
		return fmt.Errorf("%w: jsonld: no JobPosting found %s", ErrMalformed, why)
	}
	return nil
}

// jsonldRun is one run's fetching and counting.
type jsonldRun struct {
	ctx                context.Context
	fetch              Fetch
	emit               func(Item) error
	position           int
	attempts, failures int
	postings           int
	firstFailure       string
}

func (run *jsonldRun) send(it Item) error {
	if err := run.ctx.Err(); err != nil {
		return err
	}
	run.position++
	it.Position = run.position
	return run.emit(it)
}

// fail records a page that failed and emits it as a Problem item.
func (run *jsonldRun) fail(page *url.URL, problem string) error {
	run.failures++
	if run.firstFailure == "" {
		run.firstFailure = problem
	}
	return run.send(Item{URL: page.String(), Problem: problem})
}

// page fetches and scans one page. Its error is only for stopping the run
// (cancelled, emit failed): a page that failed is reported and gives an
// empty scan.
func (run *jsonldRun) page(page *url.URL, wantLinks bool) (pageScan, error) {
	if err := run.ctx.Err(); err != nil {
		return pageScan{}, err
	}
	if run.fetch == nil {
		return pageScan{}, errors.New("jsonld: no Fetch given to follow links with")
	}
	run.attempts++
	body, err := run.fetch(run.ctx, page.String())
	if err == nil && body == nil {
		err = errors.New("no body")
	}
	if err != nil {
		if ctxErr := run.ctx.Err(); ctxErr != nil {
			return pageScan{}, ctxErr
		}
		return pageScan{}, run.fail(page, fmt.Sprintf("could not fetch %s: %v", page, err))
	}
	defer body.Close()
	scan, err := scanPage(body, wantLinks)
	if err != nil {
		return pageScan{}, run.fail(page, fmt.Sprintf("could not read %s: %v", page, err))
	}
	return scan, nil
}

// jobPage emits the JobPostings on one page.
func (run *jsonldRun) jobPage(page *url.URL) error {
	before := run.failures
	scan, err := run.page(page, false)
	if err != nil || run.failures > before {
		return err
	}
	if len(scan.postings) == 0 && len(scan.broken) > 0 {
		return run.fail(page, fmt.Sprintf("the JSON-LD on %s would not parse: %s", page, scan.broken[0]))
	}
	for _, p := range scan.postings {
		run.postings++
		if err := run.send(jobPostingItem(p, page)); err != nil {
			return err
		}
	}
	return nil
}

// pageScan is what one HTML page or sitemap holds.
type pageScan struct {
	postings []map[string]any
	links    []string // as written: <a href>, sitemap <loc>, ListItem url
	sitemaps []string // <sitemap><loc> in a sitemap index
	broken   []string // why JSON-LD blocks would not parse
	base     string   // <base href>
}

// scanPage reads an HTML page or a sitemap with the HTML tokenizer, which
// takes both and holds one token at a time.
func scanPage(r io.Reader, wantLinks bool) (pageScan, error) {
	var scan pageScan
	z := html.NewTokenizer(openText(r))
	z.SetMaxBuf(maxTokenBytes)
	z.AllowCDATA(true)
	inScript, inSitemap, inLoc := false, false, false
	var loc strings.Builder
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return scan, nil
			}
			return scan, z.Err()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, attrs := tagAndAttrs(z)
			switch name {
			case "script":
				inScript = tt == html.StartTagToken && strings.Contains(strings.ToLower(attrs["type"]), "ld+json")
			case "a":
				if wantLinks && attrs["href"] != "" {
					scan.links = append(scan.links, attrs["href"])
				}
			case "base":
				if scan.base == "" {
					scan.base = strings.TrimSpace(attrs["href"])
				}
			case "sitemap":
				inSitemap = true
			case "loc":
				inLoc = wantLinks && tt == html.StartTagToken
				loc.Reset()
			}
		case html.EndTagToken:
			switch name, _ := z.TagName(); string(name) {
			case "script":
				inScript = false
			case "sitemap":
				inSitemap = false
			case "loc":
				if inLoc && inSitemap {
					scan.sitemaps = append(scan.sitemaps, loc.String())
				} else if inLoc {
					scan.links = append(scan.links, loc.String())
				}
				inLoc = false
			}
		case html.TextToken:
			switch {
			case inScript:
				values, err := decodeJSONLD(string(z.Text()))
				if err != nil {
					scan.broken = append(scan.broken, err.Error())
				}
				var listed []string
				for _, v := range values {
					findJobPostings(v, &scan.postings, &listed)
				}
				if wantLinks {
					scan.links = append(scan.links, listed...)
				}
			case inLoc:
				if loc.Len() < 4096 {
					loc.Write(z.Text())
				}
			}
		}
	}
}

func tagAndAttrs(z *html.Tokenizer) (string, map[string]string) {
	name, more := z.TagName()
	attrs := map[string]string{}
	for more {
		var key, val []byte
		key, val, more = z.TagAttr()
		if _, seen := attrs[string(key)]; !seen {
			attrs[string(key)] = string(val)
		}
	}
	return string(name), attrs
}

// linkSet gathers the job pages to fetch: on the site, in order, once.
type linkSet struct {
	site     *url.URL
	prefix   string
	seen     map[string]bool
	list     []string
	overflow bool
}

// notPages are file types a job page link never has.
var notPages = strings.Fields(`.css .csv .doc .docx .gif .ico .jpeg .jpg .js .json .mp3 .mp4
	.pdf .png .ppt .pptx .rtf .svg .txt .webp .xls .xlsx .xml .zip`)

func (s *linkSet) add(from *url.URL, href string) {
	u, err := from.Parse(strings.TrimSpace(href))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !sameHost(u, s.site) {
		return
	}
	u.Fragment, u.RawFragment = "", ""
	if s.prefix != "" && !strings.HasPrefix(u.Path, s.prefix) {
		return
	}
	if contains(notPages, strings.ToLower(path.Ext(u.Path))) {
		return
	}
	key := u.String()
	if s.seen[key] {
		return
	}
	s.seen[key] = true
	if len(s.list) >= maxJobPages {
		s.overflow = true
		return
	}
	s.list = append(s.list, key)
}

// sameHost compares hosts, taking www.example.org for example.org.
func sameHost(a, b *url.URL) bool {
	host := func(u *url.URL) string { return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") }
	return host(a) == host(b)
}
