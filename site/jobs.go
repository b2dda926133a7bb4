package site

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/search"
)

// jobsPage is the /jobs view model.
type jobsPage struct {
	Base
	Query     search.VacancyQuery
	Results   search.Results
	Searched  bool              // false when the query had errors
	Errors    map[string]string // parameter -> message
	ErrorList []fieldError      // in form order, for the error summary
	Distances []int
	Sorts     []option
	Chips     []chip // chosen filters, each a link that removes it
	Ways      []wayOut
	PageLinks []pageLink
	Prev      string
	Next      string
	First     int // position of the first hit on this page
	Last      int
	RSS       string
}

type chip struct{ Label, Legend, URL string }

type wayOut struct{ Text, URL string }

type pageLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool // an ellipsis between page numbers
}

// formOrder is the order of fields in the error summary.
var formOrder = []string{search.ParamQuery, search.ParamLocation, search.ParamDistance, search.ParamSort}

func (s *Server) jobs(c echo.Context) error {
	q, perr := search.ParseVacancyQuery(c.QueryParams(), s.Gazetteer)
	page := jobsPage{Base: s.base(c, "Search jobs"), Query: q, Distances: search.Distances}
	page.Section, page.Base.Query = "jobs", q.Q
	page.Canonical = s.Config.BaseURL + "/jobs"
	page.Description = "Search every health and care job in Cambridgeshire and Peterborough: NHS, GP practices, social care, hospices, charities and the ambulance service."
	status := http.StatusOK
	if perr != nil {
		page.Errors = search.ParamErrors(perr)
		page.ErrorList = orderedErrors(page.Errors)
		page.Title = "Error: " + page.Title
		page.NoIndex = true
		status = http.StatusBadRequest
	} else {
		res, err := s.Search.Vacancies(c.Request().Context(), q)
		if err != nil {
			return err
		}
		s.labelPartners(c, &res)
		page.Results, page.Searched = res, true
		page.Chips = chips(res)
		page.Ways = waysOut(q)
		page.PageLinks, page.Prev, page.Next = pagination(q, res.Pages)
		page.First = (q.Page-1)*search.PerPage + 1
		page.Last = page.First + len(res.Hits) - 1
		page.Title = resultsTitle(q, res)
		page.NoIndex = q.Filtered() || q.Page > 1 || q.Q != "" || q.Location != ""
	}
	page.Sorts = sortOptions(q)
	page.RSS = "/jobs.rss?" + q.WithPage(1).Encode()
	return s.render.render(c, status, "jobs", page)
}

func (s *Server) labelPartners(c echo.Context, res *search.Results) {
	for i := range res.Facets {
		if res.Facets[i].Param != "partner" {
			continue
		}
		for j := range res.Facets[i].Values {
			v := &res.Facets[i].Values[j]
			v.Label = s.partnerName(c.Request().Context(), v.Value)
		}
	}
}

func orderedErrors(errs map[string]string) []fieldError {
	var list []fieldError
	seen := map[string]bool{}
	for _, f := range formOrder {
		if msg, ok := errs[f]; ok {
			list = append(list, fieldError{f, msg})
			seen[f] = true
		}
	}
	for _, f := range search.Facets {
		if msg, ok := errs[f.Param]; ok && !seen[f.Param] {
			list = append(list, fieldError{f.Param, msg})
		}
	}
	if msg, ok := errs[search.ParamPage]; ok {
		list = append(list, fieldError{search.ParamPage, msg})
	}
	return list
}

func resultsTitle(q search.VacancyQuery, res search.Results) string {
	title := number(res.Total) + " " + plural(res.Total, "job", "jobs")
	if q.Q != "" {
		title += " for " + q.Q
	}
	if q.Place != nil {
		title += " near " + q.Place.Name
	}
	if res.Pages > 1 {
		title += " (page " + strconv.Itoa(q.Page) + " of " + strconv.Itoa(res.Pages) + ")"
	}
	return title
}

func sortOptions(q search.VacancyQuery) []option {
	current := q.EffectiveSort()
	opts := []option{
		{search.SortRelevance, "Best match", false},
		{search.SortClosing, "Closing soonest", false},
		{search.SortNewest, "Newest", false},
	}
	if q.Location != "" {
		opts = append(opts, option{Value: search.SortDistance, Label: "Nearest"})
	}
	for i := range opts {
		opts[i].Selected = opts[i].Value == current
	}
	return opts
}

func chips(res search.Results) []chip {
	var list []chip
	for _, f := range res.Facets {
		for _, v := range f.Values {
			if v.Selected {
				list = append(list, chip{Label: v.Label, Legend: f.Legend, URL: "/jobs?" + res.Query.Toggle(f.Param, v.Value).Encode()})
			}
		}
	}
	return list
}

// waysOut suggests how to widen a search that found nothing.
func waysOut(q search.VacancyQuery) []wayOut {
	var ways []wayOut
	if q.Place != nil {
		for _, d := range search.Distances {
			if d > q.Distance {
				ways = append(ways, wayOut{"Search within " + strconv.Itoa(d) + " miles of " + q.Place.Name, "/jobs?" + q.WithDistance(d).Encode()})
				break
			}
		}
		ways = append(ways, wayOut{"Search everywhere in the region", "/jobs?" + q.WithoutLocation().Encode()})
	}
	for _, f := range search.Facets {
		for _, v := range q.Filters[f.Param] {
			label := v
			if f.Terms != nil {
				label = f.Terms.Label(v)
			}
			ways = append(ways, wayOut{"Remove the filter " + label, "/jobs?" + q.Toggle(f.Param, v).Encode()})
		}
	}
	if q.Q != "" {
		without := q
		without.Q, without.Page = "", 1
		ways = append(ways, wayOut{"Search without the keywords “" + q.Q + "”", "/jobs?" + without.Encode()})
	}
	return ways
}

// pagination lists a search's page links.
func pagination(q search.VacancyQuery, pages int) (links []pageLink, prev, next string) {
	p := newPagination(q.Page, 1, min(pages, search.MaxPage), func(n int) string { return "/jobs?" + q.WithPage(n).Encode() })
	return p.PageLinks, p.Prev, p.Next
}

// pager is what the pagination partial reads.
type pager struct {
	PageLinks  []pageLink
	Prev, Next string
}

// newPagination lists page links: first, last, and two either side of the
// current page, with gaps between.
func newPagination(current, perPage, total int, url func(int) string) pager {
	var p pager
	last := (total + perPage - 1) / perPage
	if last <= 1 {
		return p
	}
	if current > 1 {
		p.Prev = url(current - 1)
	}
	if current < last {
		p.Next = url(current + 1)
	}
	gap := false
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || (n >= current-2 && n <= current+2) {
			p.PageLinks = append(p.PageLinks, pageLink{Number: n, URL: url(n), Current: n == current})
			gap = false
		} else if !gap {
			p.PageLinks = append(p.PageLinks, pageLink{Gap: true})
			gap = true
		}
	}
	return p
}
