package search

import (
	"context"
	"fmt"
	"html/template"
	"strings"

	"github.com/meilisearch/meilisearch-go"
)

// AllResults is one site search: the pages and the vacancies that match.
type AllResults struct {
	Pages     PageResults
	Vacancies AllVacancies
}

// PageResults are the best pages for a site search.
type PageResults struct {
	Total int
	Hits  []PageHit
}

// PageHit is one page in the results.
type PageHit struct {
	ID          int64
	Kind        string
	KindLabel   string
	Title       string
	TitleHTML   template.HTML // escaped, with <mark> around matches
	Summary     string
	SummaryHTML template.HTML
	URL         string
}

// AllVacancies are the best vacancies for a site search, as the jobs page
// shows them; Total counts every match, for a "see all N jobs" link.
type AllVacancies struct {
	Total int
	Hits  []Hit
}

// pageRetrieved are the attributes a page hit needs.
var pageRetrieved = []string{"id", "kind", "kind_label", "title", "summary", "url"}

// SearchAll searches pages and vacancies for q in one multi-search
// request, returning at most pagesLimit pages and vacanciesLimit vacancies,
// best first. An empty q matches nothing and asks Meilisearch nothing: the
// site search is for words, the jobs page is for browsing.
func (c *Client) SearchAll(ctx context.Context, q string, pagesLimit, vacanciesLimit int) (AllResults, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return AllResults{}, nil
	}
	pagesPer, vacanciesPer := int64(max(pagesLimit, 0)), int64(max(vacanciesLimit, 0))
	// page and hitsPerPage (not limit) so both totals are exact counts.
	requests := []*meilisearch.SearchRequest{{
		IndexUID: c.PagesIndex(), Query: q, Page: 1, HitsPerPage: &pagesPer,
		AttributesToRetrieve:  pageRetrieved,
		AttributesToHighlight: []string{"title", "summary"},
		HighlightPreTag:       highlightPre, HighlightPostTag: highlightPost,
	}, {
		IndexUID: c.VacanciesIndex(), Query: q, Page: 1, HitsPerPage: &vacanciesPer,
		AttributesToRetrieve:  retrieved,
		AttributesToHighlight: []string{"title", "summary"},
		HighlightPreTag:       highlightPre, HighlightPostTag: highlightPost,
	}}
	var pageAnswer struct {
		Hits      []rawPageHit `json:"hits"`
		TotalHits int          `json:"totalHits"`
	}
	var vacancyAnswer struct {
		Hits      []rawHit `json:"hits"`
		TotalHits int      `json:"totalHits"`
	}
	// Each result decodes straight into its own typed answer, in order.
	answer := struct {
		Results []any `json:"results"`
	}{Results: []any{&pageAnswer, &vacancyAnswer}}
	if err := c.multiSearch(ctx, requests, &answer); err != nil {
		return AllResults{}, err
	}
	if len(answer.Results) != len(requests) {
		return AllResults{}, fmt.Errorf("%w: %d results for %d queries", ErrUnavailable, len(answer.Results), len(requests))
	}
	out := AllResults{
		Pages:     PageResults{Total: pageAnswer.TotalHits, Hits: make([]PageHit, 0, len(pageAnswer.Hits))},
		Vacancies: AllVacancies{Total: vacancyAnswer.TotalHits, Hits: hits(vacancyAnswer.Hits, nil)},
	}
	for _, h := range pageAnswer.Hits {
		out.Pages.Hits = append(out.Pages.Hits, PageHit{
			ID: h.ID, Kind: h.Kind, KindLabel: h.KindLabel, URL: h.URL,
			Title: h.Title, TitleHTML: marked(h.Formatted.Title, h.Title),
			Summary: h.Summary, SummaryHTML: marked(h.Formatted.Summary, h.Summary),
		})
	}
	return out, nil
}

type rawPageHit struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	KindLabel string `json:"kind_label"`
	Title     string `json:"title"`
	Summary   string `json:"summary"`
	URL       string `json:"url"`
	Formatted struct {
		Title   string `json:"title"`
		Summary string `json:"summary"`
	} `json:"_formatted"`
}
