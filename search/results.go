package search

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/meilisearch/meilisearch-go"

	"github.com/regionalcareers/portal/internal/geo"
)

// Results is one page of a vacancy search.
type Results struct {
	Query  VacancyQuery
	Sort   string // the sort actually used
	Total  int
	Page   int
	Pages  int
	Hits   []Hit
	Facets []Facet
}

// Hit is one vacancy in the results.
type Hit struct {
	VacancyDoc
	TitleHTML     template.HTML // escaped, with <mark> around matches
	SummaryHTML   template.HTML
	DistanceMiles *float64 // to the nearest of its locations; nil without a location
}

// Facet is one facet's values with counts under the current query.
type Facet struct {
	FacetDef
	Values   []FacetValue
	Selected int
}

// FacetValue is one value of a facet.
type FacetValue struct {
	Value    string
	Label    string
	Count    int
	Selected bool
}

// retrieved are the attributes a results page needs (not the full text).
var retrieved = []string{
	"id", "path", "title", "summary", "partner_name", "partner_slug", "partner_type", "staff_group",
	"staff_group_label", "band", "pay", "pay_min", "pay_max", "pay_period", "salary_range", "contract", "patterns",
	"hours_per_week", "locations", "_geo", "posted", "closing", "posted_on", "closing_on", "passport",
}

// Vacancies runs q: one multi-search with the page of hits and, for each
// facet with a choice made, a query without that facet's own filter, so
// its other values keep honest counts (disjunctive faceting).
func (c *Client) Vacancies(ctx context.Context, q VacancyQuery) (Results, error) {
	groups := filterGroups(q)
	facetAttrs := make([]string, len(Facets))
	for i, f := range Facets {
		facetAttrs[i] = f.Attr
	}
	perPage := int64(PerPage)
	main := &meilisearch.SearchRequest{
		IndexUID:              c.VacanciesIndex(),
		Query:                 q.Q,
		Filter:                flatten(groups, ""),
		Facets:                facetAttrs,
		Page:                  int64(q.Page),
		HitsPerPage:           &perPage,
		Sort:                  sortRule(q),
		AttributesToRetrieve:  retrieved,
		AttributesToHighlight: []string{"title", "summary"},
		HighlightPreTag:       highlightPre,
		HighlightPostTag:      highlightPost,
	}
	requests := []*meilisearch.SearchRequest{main}
	var disjunctive []FacetDef
	zero := int64(0)
	for _, f := range Facets {
		if len(q.Filters[f.Param]) == 0 {
			continue
		}
		disjunctive = append(disjunctive, f)
		requests = append(requests, &meilisearch.SearchRequest{
			IndexUID: c.VacanciesIndex(), Query: q.Q, Filter: flatten(groups, f.Param),
			Facets: []string{f.Attr}, Page: 1, HitsPerPage: &zero,
		})
	}
	var resp multiSearchAnswer
	if err := c.multiSearch(ctx, requests, &resp); err != nil {
		return Results{}, err
	}
	if len(resp.Results) != len(requests) {
		return Results{}, fmt.Errorf("%w: %d results for %d queries", ErrUnavailable, len(resp.Results), len(requests))
	}
	counts := resp.Results[0].FacetDistribution
	if counts == nil {
		counts = map[string]map[string]int{}
	}
	for i, f := range disjunctive {
		counts[f.Attr] = resp.Results[i+1].FacetDistribution[f.Attr]
	}
	main0 := resp.Results[0]
	return Results{
		Query: q, Sort: q.EffectiveSort(), Page: q.Page, Total: main0.TotalHits, Pages: main0.TotalPages,
		Facets: buildFacets(q, counts), Hits: hits(main0.Hits, q.Place),
	}, nil
}

// multiSearchAnswer is the part of Meilisearch's multi-search answer the
// results page uses, decoded in one pass.
type multiSearchAnswer struct {
	Results []struct {
		Hits              []rawHit                  `json:"hits"`
		FacetDistribution map[string]map[string]int `json:"facetDistribution"`
		TotalHits         int                       `json:"totalHits"`
		TotalPages        int                       `json:"totalPages"`
	} `json:"results"`
}

type rawHit struct {
	VacancyDoc
	Formatted struct {
		Title   string `json:"title"`
		Summary string `json:"summary"`
	} `json:"_formatted"`
}

type filterGroup struct {
	param   string
	clauses []string // OR-ed
}

func filterGroups(q VacancyQuery) []filterGroup {
	var groups []filterGroup
	for _, f := range Facets {
		var ors []string
		for _, v := range q.Filters[f.Param] {
			ors = append(ors, fmt.Sprintf("%s = %s", f.Attr, strconv.Quote(v)))
		}
		if len(ors) > 0 {
			groups = append(groups, filterGroup{f.Param, ors})
		}
	}
	if q.Place != nil {
		meters := int(math.Round(float64(q.Distance) * 1609.344))
		groups = append(groups, filterGroup{ParamLocation, []string{
			fmt.Sprintf("_geoRadius(%.6f, %.6f, %d)", q.Place.Lat, q.Place.Lon, meters)}})
	}
	return groups
}

// flatten turns groups (AND of ORs) into Meilisearch's nested-array filter,
// leaving out the group of param skip.
func flatten(groups []filterGroup, skip string) any {
	var out [][]string
	for _, g := range groups {
		if g.param != skip {
			out = append(out, g.clauses)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func sortRule(q VacancyQuery) []string {
	switch q.EffectiveSort() {
	case SortClosing:
		return []string{"closing:asc", "posted:desc"}
	case SortNewest:
		return []string{"posted:desc", "id:desc"}
	case SortDistance:
		if q.Place != nil {
			return []string{fmt.Sprintf("_geoPoint(%.6f, %.6f):asc", q.Place.Lat, q.Place.Lon)}
		}
	}
	return nil
}

func buildFacets(q VacancyQuery, counts map[string]map[string]int) []Facet {
	var facets []Facet
	for _, def := range Facets {
		f := Facet{FacetDef: def}
		selected := q.Filters[def.Param]
		add := func(value, label string) {
			n, isSelected := counts[def.Attr][value], slices.Contains(selected, value)
			if n > 0 || isSelected {
				f.Values = append(f.Values, FacetValue{Value: value, Label: label, Count: n, Selected: isSelected})
			}
			if isSelected {
				f.Selected++
			}
		}
		if def.Terms != nil {
			for _, t := range def.Terms {
				add(t.Slug, t.Label)
			}
		} else {
			values := slices.Collect(func(yield func(string) bool) {
				for v := range counts[def.Attr] {
					if !yield(v) {
						return
					}
				}
			})
			for _, v := range selected {
				if !slices.Contains(values, v) {
					values = append(values, v)
				}
			}
			slices.SortFunc(values, func(a, b string) int {
				return cmp.Or(counts[def.Attr][b]-counts[def.Attr][a], strings.Compare(a, b))
			})
			for _, v := range values {
				add(v, v) // partner names are filled in by the caller, who knows them
			}
		}
		facets = append(facets, f)
	}
	return facets
}

func hits(raw []rawHit, place *geo.Place) []Hit {
	out := make([]Hit, 0, len(raw))
	for _, h := range raw {
		hit := Hit{VacancyDoc: h.VacancyDoc, TitleHTML: marked(h.Formatted.Title, h.Title), SummaryHTML: marked(h.Formatted.Summary, h.Summary)}
		if place != nil && len(h.Locations) > 0 {
			nearest := math.Inf(1)
			for _, l := range h.Locations {
				nearest = min(nearest, geo.DistanceMiles(place.Lat, place.Lon, l.Lat, l.Lon))
			}
			nearest = math.Round(nearest*10) / 10
			hit.DistanceMiles = &nearest
		}
		out = append(out, hit)
	}
	return out
}

var markers = strings.NewReplacer(highlightPre, "<mark>", highlightPost, "</mark>")

// marked escapes Meilisearch's highlighted text first, then turns our
// markers into <mark>: the engine does not escape its output.
func marked(formatted, plain string) template.HTML {
	if formatted == "" {
		formatted = plain
	}
	return template.HTML(markers.Replace(html.EscapeString(formatted)))
}
