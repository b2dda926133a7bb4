package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// regionCounties are the gazetteer counties every demo location must be in.
var regionCounties = []string{"Cambridgeshire", "City of Peterborough"}

// generator makes vacancies from the catalogue. It is deterministic: the
// same random source and day give the same vacancies in the same order.
type generator struct {
	rng    *rand.Rand
	today  time.Time
	towns  map[string]vacancies.Location
	roles  [][]role // per consortium partner, the roles its profiles advertise
	weight []int    // per consortium partner, the sum of its roles' weights
	made   int      // vacancies made so far, which picks the few drafts and closed roles
}

func newGenerator(today time.Time, src rand.Source) (*generator, error) {
	g := &generator{rng: rand.New(src), today: vacancies.Date(today), towns: map[string]vacancies.Location{}}
	for _, p := range consortium {
		for _, s := range p.Sites {
			if _, done := g.towns[s.Town]; done {
				continue
			}
			loc, err := locate(s.Town)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.Slug, err)
			}
			g.towns[s.Town] = loc
		}
		var pool []role
		total := 0
		for _, r := range catalogue {
			if slices.ContainsFunc(r.At, func(at string) bool { return slices.Contains(p.Profiles, at) }) {
				pool = append(pool, r)
				total += r.Weight
			}
		}
		if len(pool) == 0 {
			return nil, fmt.Errorf("%s: no role in the catalogue matches its profiles", p.Slug)
		}
		g.roles, g.weight = append(g.roles, pool), append(g.weight, total)
	}
	return g, nil
}

// locate finds a town in the gazetteer and insists it is in the region, so
// a namesake elsewhere in Britain can never slip into the demo.
func locate(town string) (vacancies.Location, error) {
	place, err := geo.Default().Lookup(town)
	if err != nil {
		return vacancies.Location{}, fmt.Errorf("locate %q: %w", town, err)
	}
	if !slices.Contains(regionCounties, place.County) {
		return vacancies.Location{}, fmt.Errorf("locate %q: found in %s, outside the region", town, place.County)
	}
	return vacancies.Location{Name: place.Name, Postcode: place.Postcode, Lat: place.Lat, Lon: place.Lon}, nil
}

// vacancy makes the next vacancy for consortium partner index pi, saved
// under partnerID with reference ref.
func (g *generator) vacancy(pi int, partnerID int64, ref string) vacancies.Vacancy {
	p := consortium[pi]
	r := g.pickRole(pi)
	v := vacancies.Vacancy{
		PartnerID:   partnerID,
		ExternalRef: ref,
		StaffGroup:  r.Group,
		Contract:    g.contract(r, p),
		ApplyURL:    "https://" + p.Domain + "/careers/" + strings.ToLower(ref),
	}
	v.Patterns, v.HoursPerWeek = g.pattern(r, p, v.Contract)
	v.Pay = g.pay(r.Pay, slices.Contains(v.Patterns, "part-time"))
	sites := g.sites(r, p, v.Contract)
	for _, s := range sites {
		v.Locations = append(v.Locations, g.towns[s.Town])
	}
	area := ""
	if len(r.Areas) > 0 && (strings.Contains(r.Title, "{area}") || g.rng.IntN(4) > 0) {
		area = pick(g.rng, r.Areas)
	}
	noun := strings.ReplaceAll(r.Title, "{area}", area)
	v.Title = g.title(r, noun, area, v)
	v.PassportAccepted = g.passport(p.Type)
	g.dates(&v)
	v.Description = describe(g.rng, job{Role: r, Noun: noun, Area: area, Partner: p, Sites: sites, V: &v})
	g.made++
	return v
}

func (g *generator) pickRole(pi int) role {
	n := g.rng.IntN(g.weight[pi])
	for _, r := range g.roles[pi] {
		if n < r.Weight {
			return r
		}
		n -= r.Weight
	}
	panic("unreachable: weights sum to the pool total")
}

func (g *generator) contract(r role, p demoPartner) string {
	if r.Contract != "" {
		return r.Contract
	}
	senior := bandRank(r.Pay.Band) >= bandRank("6") || r.Pay.Period == "year" && r.Pay.Min >= 36000
	bankable := r.Shifts && (p.Type == partners.NHSTrust || p.Type == partners.CareProvider || p.Type == partners.Hospice)
	switch n := g.rng.IntN(100); {
	case n < 9 && bankable:
		return "bank"
	case n >= 90 && n < 94 && senior && (p.Type == partners.NHSTrust || p.Type == partners.Council):
		return "secondment"
	case n >= 94:
		return "fixed-term"
	}
	return "permanent"
}

// fullTimeHours is a full-time week by employer type.
func (g *generator) fullTimeHours(r role, p demoPartner) float64 {
	switch {
	case r.Group == medicalG && p.Type != partners.PrimaryCare:
		return 40
	case p.Type == partners.Council:
		return 37
	case p.Type == partners.CareProvider:
		return []float64{36, 37.5, 40, 42, 45}[g.rng.IntN(5)]
	case p.Type == partners.Charity:
		return []float64{35, 37.5}[g.rng.IntN(2)]
	}
	return vacancies.FullTimeHours
}

var partTimeHours = []float64{15, 16, 18.75, 20, 22.5, 24, 26.25, 30}

// pattern picks working patterns and hours that agree with each other.
func (g *generator) pattern(r role, p demoPartner, contract string) ([]string, float64) {
	full := g.fullTimeHours(r, p)
	nightRole := strings.Contains(r.Title, "Night")
	n := g.rng.IntN(100)
	switch {
	case contract == "bank":
		patterns := []string{"flexible"}
		if n < 40 {
			patterns = append(patterns, "nights")
		} else if n < 70 {
			patterns = append(patterns, "weekends")
		}
		return patterns, []float64{7.5, 11.5, 15, 22.5}[g.rng.IntN(4)]
	case contract == "apprenticeship" || contract == "rotation":
		return []string{"full-time"}, vacancies.FullTimeHours
	case nightRole || r.Shifts && n < 14:
		if g.rng.IntN(3) == 0 {
			return []string{"part-time", "nights"}, 23
		}
		return []string{"full-time", "nights"}, []float64{33.75, 34.5}[g.rng.IntN(2)]
	case r.Shifts && n < 24:
		return []string{"part-time", "weekends"}, []float64{15, 22.5, 23}[g.rng.IntN(3)]
	case r.TermTime && n < 60:
		if g.rng.IntN(2) == 0 {
			return []string{"full-time", "term-time"}, full
		}
		return []string{"part-time", "term-time"}, []float64{22.5, 30}[g.rng.IntN(2)]
	case n < 30:
		return []string{"part-time"}, partTimeHours[g.rng.IntN(len(partTimeHours))]
	case n < 35:
		return []string{"part-time", "job-share"}, full / 2
	case n < 42:
		return []string{"part-time", "flexible"}, partTimeHours[g.rng.IntN(len(partTimeHours))]
	case n < 55:
		return []string{"full-time", "flexible"}, full
	}
	return []string{"full-time"}, full
}

// sites picks where the role is based: usually one site of the role's
// kind, sometimes two or three in different towns.
func (g *generator) sites(r role, p demoPartner, contract string) []site {
	var fit, spread []site
	for _, s := range p.Sites {
		if s.Kind == r.Base {
			fit = append(fit, s)
		}
		if (s.Kind == ward || s.Kind == community) && !slices.ContainsFunc(spread, func(o site) bool { return o.Town == s.Town }) {
			spread = append(spread, s)
		}
	}
	if len(fit) == 0 {
		fit = p.Sites
	}
	if r.Multi && len(spread) >= 2 && (contract == "rotation" || g.rng.IntN(5) < 2) {
		n := min(len(spread), 2+g.rng.IntN(2))
		out := make([]site, 0, n)
		for _, i := range g.rng.Perm(len(spread))[:n] {
			out = append(out, spread[i])
		}
		return out
	}
	return []site{fit[g.rng.IntN(len(fit))]}
}

var separators = []string{" – ", " – ", " – ", " - ", ", "}

func (g *generator) title(r role, noun, area string, v vacancies.Vacancy) string {
	title := noun
	if area != "" && !strings.Contains(r.Title, "{area}") {
		title += pick(g.rng, separators) + area
	}
	switch {
	case v.Contract == "bank":
		title = "Bank " + title
	case r.Pay.Band != "" && bandRank(r.Pay.Band) <= bandRank("7") && g.rng.IntN(8) == 0:
		title = "Band " + r.Pay.Band + " " + title
	}
	suffix := ""
	switch {
	case slices.Contains(v.Patterns, "nights") && !strings.Contains(noun, "Night") && g.rng.IntN(2) == 0:
		suffix = " (Nights)"
	case slices.Contains(v.Patterns, "term-time") && g.rng.IntN(2) == 0:
		suffix = " (Term Time)"
	case slices.Contains(v.Patterns, "job-share"):
		suffix = " (Job Share)"
	case v.Contract == "fixed-term" && g.rng.IntN(2) == 0:
		suffix = " (Fixed Term)"
	case v.Contract == "secondment":
		suffix = " (Secondment)"
	case slices.Contains(v.Patterns, "part-time") && g.rng.IntN(3) == 0:
		suffix = " (Part Time)"
	}
	return title + suffix
}

func (g *generator) passport(t partners.Type) bool {
	switch t {
	case partners.NHSTrust, partners.Ambulance:
		return g.rng.IntN(10) < 6
	case partners.Hospice, partners.PrimaryCare:
		return g.rng.IntN(4) == 0
	}
	return g.rng.IntN(20) == 0
}

// dates sets posted and closing dates relative to today and the status:
// nearly all live, one in 71 a draft and one in 71 closed in the past.
func (g *generator) dates(v *vacancies.Vacancy) {
	day := func(n int) time.Time { return g.today.AddDate(0, 0, n) }
	switch g.made % 71 {
	case 17:
		v.Status, v.PostedOn, v.ClosingOn = vacancies.Draft, g.today, day(30)
		return
	case 53:
		closed := 1 + g.rng.IntN(14)
		v.Status, v.PostedOn, v.ClosingOn = vacancies.Closed, day(-closed-14-g.rng.IntN(14)), day(-closed)
		return
	}
	v.Status, v.PostedOn = vacancies.Live, day(-g.rng.IntN(29))
	switch n := g.rng.IntN(200); {
	case n < 3:
		v.ClosingOn = g.today
	case n < 6:
		v.ClosingOn = day(1)
	default:
		v.ClosingOn = day(3 + g.rng.IntN(43))
	}
}

// bandRank orders Agenda for Change bands (2 < 7 < 8a < 9); -1 when not banded.
func bandRank(band string) int {
	return slices.IndexFunc(vacancies.Bands, func(t vacancies.Term) bool { return t.Slug == band })
}
