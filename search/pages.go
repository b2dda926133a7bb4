package search

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/meilisearch/meilisearch-go"
	"github.com/riverqueue/river"

	"github.com/regionalcareers/portal/internal/markdown"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// PagesIndex is the name of the live pages index: the editors' published
// area guides, career pathways, campaigns, stories and plain pages.
func (c *Client) PagesIndex() string { return c.prefix + "pages" }

// pageSettings are declared here and applied before any document is added,
// as for vacancies. Synonyms, stop words and the typo rules drawn from the
// synonyms are the vacancies' own, so "HCA" finds the same people on a
// page as in a job.
func pageSettings(groups [][]string) *meilisearch.Settings {
	jobs := vacancySettings(groups)
	typos := *jobs.TypoTolerance
	typos.DisableOnAttributes = []string{} // band_label is a vacancy field
	return &meilisearch.Settings{
		// Most telling first: the title, then what the editor wrote to sum
		// the page up, then the labels, then the body.
		SearchableAttributes: []string{"title", "summary", "tags", "places", "staff_group_labels", "text"},
		// The body is searched but not returned: results show the summary.
		DisplayedAttributes:  []string{"id", "kind", "kind_label", "title", "summary", "url", "places", "staff_groups", "tags", "published"},
		FilterableAttributes: []string{"kind", "tags", "places", "staff_groups"},
		TypoTolerance:        &typos,
		Synonyms:             jobs.Synonyms,
		StopWords:            jobs.StopWords,
	}
}

// EnsurePagesIndex makes sure the pages index exists with current settings,
// synonyms from the client's source. Serve calls it at start-up.
func (c *Client) EnsurePagesIndex(ctx context.Context) error {
	groups, err := c.synonyms(ctx)
	if err != nil {
		return err
	}
	return c.ensureIndex(ctx, c.PagesIndex(), pageSettings(groups))
}

// applyPageSynonyms sets groups as the synonyms of the live pages index,
// creating the index with every setting when it is missing.
func (c *Client) applyPageSynonyms(ctx context.Context, groups [][]string) error {
	return c.applySynonymsTo(ctx, c.PagesIndex(), pageSettings(groups))
}

// PageDoc is a published page as the search index holds it.
type PageDoc struct {
	ID               int64    `json:"id"`
	Kind             string   `json:"kind"`
	KindLabel        string   `json:"kind_label"`
	Title            string   `json:"title"`
	Summary          string   `json:"summary"`
	URL              string   `json:"url"` // the page's path on the site
	Places           []string `json:"places"`
	StaffGroups      []string `json:"staff_groups"`       // slugs, for filters
	StaffGroupLabels []string `json:"staff_group_labels"` // what people type
	Tags             []string `json:"tags"`
	Text             string   `json:"text"`      // the body as plain text, cut to MaxPageText
	Published        int64    `json:"published"` // unix seconds
}

// MaxPageText bounds the body text indexed for a page, in bytes: enough
// for any real page, and it keeps one pasted-in tome from slowing indexing.
const MaxPageText = 20000

// NewPageDoc builds the search document for p.
func NewPageDoc(p pages.Page) PageDoc {
	text := stripMarkers.Replace(pageText(p.Body))
	summary := strings.TrimSpace(stripMarkers.Replace(p.Summary))
	if summary == "" {
		summary = markdown.Excerpt(text, 240)
	}
	published := p.PublishedAt
	if published.IsZero() {
		published = p.UpdatedAt
	}
	doc := PageDoc{
		ID:          p.ID,
		Kind:        string(p.Kind),
		KindLabel:   p.Kind.Label(),
		Title:       stripMarkers.Replace(p.Title),
		Summary:     summary,
		URL:         p.Path(),
		Places:      cleaned(p.Places),
		StaffGroups: slices.Clone(p.StaffGroups),
		Tags:        cleaned(p.Tags),
		Text:        cutText(text, MaxPageText),
		Published:   published.Unix(),
	}
	for _, g := range p.StaffGroups {
		doc.StaffGroupLabels = append(doc.StaffGroupLabels, vacancies.StaffGroups.Label(g))
	}
	return doc
}

// pageText is what search reads of a page's markdown body: its prose as
// plain text without the settings of its live blocks, then the title and
// text of each step of its career pathways, which are prose too.
func pageText(body string) string {
	text := markdown.ToText(stripLiveBlocks(body))
	var steps []string
	for _, b := range markdown.Blocks(body) {
		for _, step := range b.Steps {
			steps = append(steps, step.Title, step.Text)
		}
	}
	if len(steps) == 0 {
		return text
	}
	return strings.Join(strings.Fields(text+" "+strings.Join(steps, " ")), " ")
}

func cleaned(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, stripMarkers.Replace(s))
	}
	return out
}

// cutText cuts text to at most limit bytes, at a word boundary when one is
// near, never inside a character.
func cutText(text string, limit int) string {
	if len(text) <= limit {
		return text
	}
	if cut := strings.LastIndexByte(text[:limit+1], ' '); cut >= limit/2 {
		return text[:cut]
	}
	for limit > 0 && !utf8.RuneStart(text[limit]) {
		limit--
	}
	return text[:limit]
}

// liveBlocks are the fenced blocks a page uses to embed live content (a
// list of vacancies, a pathway diagram). Their contents are settings, not
// prose, so they are left out of the indexed text.
var liveBlocks = []string{"vacancies", "pathway"}

// stripLiveBlocks removes the live fenced blocks from a markdown body,
// fences included, following CommonMark's fence rules: up to three spaces
// of indent, three or more backticks or tildes, closed by a run of the
// same character at least as long, or by the end of the document.
func stripLiveBlocks(body string) string {
	var out strings.Builder
	var fence string // the opening fence while inside a live block
	for line := range strings.Lines(body) {
		if fence != "" {
			if f, info := fenceOf(line); f != "" && f[0] == fence[0] && len(f) >= len(fence) && info == "" {
				fence = ""
			}
			continue
		}
		if f, info := fenceOf(line); f != "" && slices.Contains(liveBlocks, strings.ToLower(firstWord(info))) {
			fence = f
			continue
		}
		out.WriteString(line)
	}
	return out.String()
}

// fenceOf returns the fence a line opens or closes with (its run of
// backticks or tildes) and the info string after it; "" when the line is no
// fence.
func fenceOf(line string) (fence, info string) {
	trimmed := strings.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 || len(trimmed) < 3 || (trimmed[0] != '`' && trimmed[0] != '~') {
		return "", ""
	}
	n := len(trimmed) - len(strings.TrimLeft(trimmed, trimmed[:1]))
	if n < 3 {
		return "", ""
	}
	info = strings.TrimSpace(trimmed[n:])
	if trimmed[0] == '`' && strings.Contains(info, "`") {
		return "", "" // not a fence: inline code
	}
	return trimmed[:n], info
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// PageSyncer brings the pages index in line with PostgreSQL.
type PageSyncer struct {
	client *Client
	pages  *pages.Store

	mu       sync.Mutex
	prepared bool // the index is known to exist with our settings
}

// NewPageSyncer returns a PageSyncer reading from store and writing to
// client.
func NewPageSyncer(client *Client, store *pages.Store) *PageSyncer {
	return &PageSyncer{client: client, pages: store}
}

// prepare makes sure the pages index exists with its settings before the
// first document is written: adding documents to a missing index would
// create it with Meilisearch's defaults (no synonyms, no filters).
func (s *PageSyncer) prepare(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prepared {
		return nil
	}
	if err := s.client.EnsurePagesIndex(ctx); err != nil {
		return err
	}
	s.prepared = true
	return nil
}

// livePage reports whether a page belongs in public search.
func livePage(p pages.Page) bool { return p.Status == pages.Published }

// SyncPages re-reads the pages with ids, upserts the published ones and
// deletes the rest, waiting for Meilisearch to finish. Like Sync, it is
// idempotent: late, repeated or reordered runs leave the index matching
// PostgreSQL now.
func (s *PageSyncer) SyncPages(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := s.pages.GetMany(ctx, ids)
	if err != nil {
		return err
	}
	if err := s.prepare(ctx); err != nil {
		return err
	}
	live := map[int64]bool{}
	var docs []PageDoc
	for _, p := range list {
		if livePage(p) {
			docs = append(docs, NewPageDoc(p))
			live[p.ID] = true
		}
	}
	var gone []string
	for _, id := range ids {
		if !live[id] {
			gone = append(gone, strconv.FormatInt(id, 10))
		}
	}
	return upsertAndDelete(ctx, s.client, s.client.PagesIndex(), "pages", docs, gone)
}

// RebuildPages builds a fresh pages index from PostgreSQL under a
// temporary name and swaps it with the live one, as Rebuild does for
// vacancies. It returns the number of pages indexed.
func (s *PageSyncer) RebuildPages(ctx context.Context) (int, error) {
	return s.client.rebuild(ctx, s.client.PagesIndex(), pageSettings, s.fill, s.client.applyPageSynonyms)
}

// fill adds every published page to index, one request per batch the
// store reads, and waits for all of them.
func (s *PageSyncer) fill(ctx context.Context, uid string) (int, error) {
	index := s.client.ms.Index(uid)
	pk := "id"
	count := 0
	var pending []*meilisearch.TaskInfo
	err := s.pages.EachLive(ctx, func(batch []pages.Page) error {
		docs := make([]PageDoc, 0, len(batch))
		for _, p := range batch {
			if livePage(p) {
				docs = append(docs, NewPageDoc(p))
			}
		}
		if len(docs) == 0 {
			return nil
		}
		info, err := index.AddDocuments(ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err != nil {
			return classify(err)
		}
		pending = append(pending, info)
		count += len(docs)
		return nil
	})
	if err != nil {
		return count, err
	}
	for _, info := range pending {
		if err := s.client.wait(ctx, info, nil); err != nil {
			return count, err
		}
	}
	return count, nil
}

// PageSyncWorker runs the pages' outbox jobs.
type PageSyncWorker struct {
	river.WorkerDefaults[outbox.SyncPages]
	Syncer *PageSyncer
}

// Work syncs the job's pages; an error makes River retry with backoff.
func (w *PageSyncWorker) Work(ctx context.Context, job *river.Job[outbox.SyncPages]) error {
	return w.Syncer.SyncPages(ctx, job.Args.IDs)
}

// Timeout allows for a slow Meilisearch.
func (w *PageSyncWorker) Timeout(*river.Job[outbox.SyncPages]) time.Duration { return 2 * time.Minute }
