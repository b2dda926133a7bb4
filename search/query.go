package search

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// Query parameters shared by /jobs, /jobs.rss and /api/v1/vacancies.
const (
	ParamQuery    = "q"
	ParamLocation = "location"
	ParamDistance = "distance"
	ParamSort     = "sort"
	ParamPage     = "page"
)

// Sorts a jobseeker can choose.
const (
	SortRelevance = "relevance"
	SortClosing   = "closing"
	SortNewest    = "newest"
	SortDistance  = "distance"
)

// DefaultDistance is the radius in miles when a location is given alone.
const DefaultDistance = 10

// Distances offered in the radius menu, in miles.
var Distances = []int{1, 3, 5, 10, 15, 20, 30, 50}

// PerPage is how many results a page shows.
const PerPage = 20

// MaxPage bounds paging: Meilisearch counts at most 10,000 hits.
const MaxPage = 10000 / PerPage

// FacetDef is one filterable property: its URL parameter, index attribute
// and legend.
type FacetDef struct {
	Param  string
	Attr   string
	Legend string
	Terms  vacancies.Terms // nil for partners, whose values come from the data
}

// Facets lists every facet in the order pages show them.
var Facets = []FacetDef{
	{"staff_group", attrStaffGroup, "Staff group", vacancies.StaffGroups},
	{"band", attrBand, "Agenda for Change band", vacancies.Bands},
	{"contract", attrContract, "Contract type", vacancies.Contracts},
	{"pattern", attrPatterns, "Working pattern", vacancies.Patterns},
	{"salary", attrSalary, "Salary (full-time equivalent)", vacancies.SalaryRanges},
	{"partner_type", attrPartnerType, "Type of employer", partnerTypeTerms()},
	{"partner", attrPartner, "Employer", nil},
	{"passport", attrPassport, "Staff passport", vacancies.Terms{{Slug: "yes", Label: "Staff passport accepted"}}},
}

func partnerTypeTerms() vacancies.Terms {
	var ts vacancies.Terms
	for _, t := range partners.Types {
		ts = append(ts, vacancies.Term{Slug: string(t), Label: t.Label()})
	}
	return ts
}

// VacancyQuery is the whole state of a vacancy search, as the URL holds it.
type VacancyQuery struct {
	Q        string
	Location string     // as typed
	Place    *geo.Place // resolved location; nil without one
	Distance int        // miles; 0 without a location
	Sort     string     // as chosen; "" means the default for the query
	Page     int
	Filters  map[string][]string // facet param -> chosen values
}

// ParamError names the parameter that is wrong, for a 400 or a message
// next to the field.
type ParamError struct {
	Parameter string
	Message   string
}

func (e *ParamError) Error() string { return e.Parameter + ": " + e.Message }

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ParseVacancyQuery reads a query from URL parameters, resolving the
// location with gaz. The first wrong parameter is returned as a
// *ParamError, together with everything that could be read.
func ParseVacancyQuery(values url.Values, gaz *geo.Gazetteer) (VacancyQuery, error) {
	q := VacancyQuery{
		Q:        strings.TrimSpace(values.Get(ParamQuery)),
		Location: strings.TrimSpace(values.Get(ParamLocation)),
		Sort:     strings.TrimSpace(values.Get(ParamSort)),
		Page:     1,
		Filters:  map[string][]string{},
	}
	var errs []error
	fail := func(param, format string, args ...any) {
		errs = append(errs, &ParamError{Parameter: param, Message: fmt.Sprintf(format, args...)})
	}
	if len(q.Q) > 200 {
		fail(ParamQuery, "Keywords must be 200 characters or fewer")
		q.Q = q.Q[:200]
	}
	if q.Location != "" {
		if len(q.Location) > 100 {
			fail(ParamLocation, "Location must be 100 characters or fewer")
		} else if place, err := gaz.Lookup(q.Location); err != nil {
			fail(ParamLocation, "We could not find %q. Enter a town, village or postcode, like Wisbech or PE13 1AB", q.Location)
		} else {
			q.Place = &place
		}
		q.Distance = DefaultDistance
		if raw := strings.TrimSpace(values.Get(ParamDistance)); raw != "" {
			d, err := strconv.Atoi(raw)
			if err != nil || d < 1 || d > 200 {
				fail(ParamDistance, "Distance must be a whole number of miles from 1 to 200")
			} else {
				q.Distance = d
			}
		}
	}
	switch q.Sort {
	case "", SortRelevance, SortClosing, SortNewest:
	case SortDistance:
		if q.Location == "" {
			fail(ParamSort, "Enter a location to sort by distance")
			q.Sort = ""
		}
	default:
		fail(ParamSort, "Sort must be relevance, closing, newest or distance")
		q.Sort = ""
	}
	if raw := strings.TrimSpace(values.Get(ParamPage)); raw != "" {
		p, err := strconv.Atoi(raw)
		if err != nil || p < 1 || p > MaxPage {
			fail(ParamPage, "Page must be a whole number from 1 to %d", MaxPage)
		} else {
			q.Page = p
		}
	}
	for _, f := range Facets {
		for _, v := range values[f.Param] {
			v = strings.TrimSpace(v)
			switch {
			case v == "":
				continue
			case f.Terms != nil && !f.Terms.Has(v), f.Terms == nil && !slugPattern.MatchString(v):
				fail(f.Param, "%q is not a %s we know", v, strings.ToLower(f.Legend))
			case !slices.Contains(q.Filters[f.Param], v):
				q.Filters[f.Param] = append(q.Filters[f.Param], v)
			}
		}
	}
	return q, errors.Join(errs...)
}

// FirstParamError returns the first *ParamError in err, or nil.
func FirstParamError(err error) *ParamError {
	var pe *ParamError
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

// ParamErrors returns every *ParamError in err by parameter.
func ParamErrors(err error) map[string]string {
	out := map[string]string{}
	var multi interface{ Unwrap() []error }
	if errors.As(err, &multi) {
		for _, e := range multi.Unwrap() {
			if pe := FirstParamError(e); pe != nil {
				out[pe.Parameter] = pe.Message
			}
		}
	} else if pe := FirstParamError(err); pe != nil {
		out[pe.Parameter] = pe.Message
	}
	return out
}

// EffectiveSort is the sort used: the chosen one, else relevance for a
// keyword search, nearest first for a place, newest otherwise.
func (q VacancyQuery) EffectiveSort() string {
	switch {
	case q.Sort != "":
		return q.Sort
	case q.Q != "":
		return SortRelevance
	case q.Place != nil:
		return SortDistance
	}
	return SortNewest
}

// Values encodes the query back into URL parameters (page omitted when 1),
// in a stable order.
func (q VacancyQuery) Values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set(ParamQuery, q.Q)
	set(ParamLocation, q.Location)
	if q.Location != "" && q.Distance > 0 {
		v.Set(ParamDistance, strconv.Itoa(q.Distance))
	}
	set(ParamSort, q.Sort)
	for _, f := range Facets {
		for _, val := range q.Filters[f.Param] {
			v.Add(f.Param, val)
		}
	}
	if q.Page > 1 {
		v.Set(ParamPage, strconv.Itoa(q.Page))
	}
	return v
}

// Encode is the query string, without "?".
func (q VacancyQuery) Encode() string { return q.Values().Encode() }

// WithPage returns the query at page n.
func (q VacancyQuery) WithPage(n int) VacancyQuery {
	q.Page = n
	return q
}

// Toggle returns the query with value added to or removed from a facet,
// back on page 1.
func (q VacancyQuery) Toggle(param, value string) VacancyQuery {
	filters := map[string][]string{}
	for k, vs := range q.Filters {
		filters[k] = slices.Clone(vs)
	}
	if i := slices.Index(filters[param], value); i >= 0 {
		filters[param] = slices.Delete(filters[param], i, i+1)
	} else {
		filters[param] = append(filters[param], value)
	}
	q.Filters, q.Page = filters, 1
	return q
}

// WithoutLocation returns the query with no place or distance.
func (q VacancyQuery) WithoutLocation() VacancyQuery {
	q.Location, q.Place, q.Distance, q.Page = "", nil, 0, 1
	if q.Sort == SortDistance {
		q.Sort = ""
	}
	return q
}

// WithDistance returns the query with another radius, on page 1.
func (q VacancyQuery) WithDistance(miles int) VacancyQuery {
	q.Distance, q.Page = miles, 1
	return q
}

// Clear returns the query with no facet chosen.
func (q VacancyQuery) Clear() VacancyQuery {
	q.Filters, q.Page = map[string][]string{}, 1
	return q
}

// Filtered reports whether any facet is chosen.
func (q VacancyQuery) Filtered() bool {
	for _, vs := range q.Filters {
		if len(vs) > 0 {
			return true
		}
	}
	return false
}
