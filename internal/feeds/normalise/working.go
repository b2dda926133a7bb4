package normalise

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// working is what a vacancy says about its contract and hours.
type working struct {
	contract string
	patterns []string // in the order of vacancies.Patterns
	hours    float64  // per week
}

// Full-time and part-time hours assumed when a feed gives none: the NHS
// standard week, and the common 0.6 whole-time-equivalent post.
const (
	fullTimeHours = vacancies.FullTimeHours
	partTimeHours = 22.5
	// partTimeBelow splits part time from full time when only hours are known.
	partTimeBelow = 30
)

// workingTerms reads contract, working patterns and hours from the item's
// contract, pattern and hours fields (the feed's mapping first, then the
// words feeds use: "Permanent", "FULL_TIME", "Fixed-Term: 12 months",
// "PER_DIEM"), then from the title ("Bank Staff Nurse", "Night Care
// Assistant"). What is still missing comes from the mapping's defaults,
// then: a permanent contract; part time under 30 hours a week and full time
// otherwise; 37.5 hours full time or 22.5 part time; and full time when
// nothing at all is said.
func workingTerms(item formats.Item, m formats.Mapping) working {
	var w working
	patterns := map[string]bool{}
	fields := []string{item.Contract, item.Pattern, item.Hours}
	for _, field := range fields {
		for _, part := range categoryParts(field) {
			if slug, ok := mappedEither(m, part, vacancies.Contracts); ok && w.contract == "" {
				w.contract = slug
			}
			if slug, ok := mappedEither(m, part, vacancies.Patterns); ok {
				patterns[slug] = true
			}
			if words(part) == " contract " || words(part) == " contractor " {
				w.contract = firstOf(w.contract, "fixed-term")
			}
		}
	}
	for _, field := range fields {
		fw := words(field)
		if slug, ok := firstPhrase(fw, fieldContracts); ok {
			w.contract = firstOf(w.contract, slug)
		}
		for _, p := range fieldPatterns {
			if hasPhrase(fw, p.phrase) {
				patterns[p.value] = true
			}
		}
	}
	tw := titleWordsForTerms(item.Title)
	if slug, ok := firstPhrase(tw, titleContracts); ok {
		w.contract = firstOf(w.contract, slug)
	}
	for _, p := range titlePatterns {
		if hasPhrase(tw, p.phrase) {
			patterns[p.value] = true
		}
	}
	w.hours = hoursOf(item.Hours)
	fillDefaults(&w, patterns, m.Defaults)
	return w
}

// firstOf keeps the first value found.
func firstOf(found, next string) string {
	if found != "" {
		return found
	}
	return next
}

// mappedEither looks text up in both the contracts and the patterns
// mapping, as feeds mix the two ("Full-time" under contract type).
func mappedEither(m formats.Mapping, text string, list vacancies.Terms) (string, bool) {
	if slug, ok := mapped(m.Contracts, text, list); ok {
		return slug, true
	}
	return mapped(m.Patterns, text, list)
}

func fillDefaults(w *working, patterns map[string]bool, defaults map[string]string) {
	if w.contract == "" {
		w.contract, _ = term(vacancies.Contracts, defaults["contract"])
	}
	if w.contract == "" {
		w.contract = "permanent"
	}
	full, part := patterns["full-time"], patterns["part-time"]
	if w.hours == 0 {
		if h := hoursOf(defaults["hours"]); h > 0 && !(part && !full && h >= partTimeBelow) && !(full && !part && h < partTimeBelow) {
			w.hours = h
		}
	}
	if !full && !part {
		switch {
		case w.hours > 0 && w.hours < partTimeBelow:
			patterns["part-time"] = true
		case w.hours > 0:
			patterns["full-time"] = true
		default:
			for _, p := range strings.Split(defaults["pattern"], ",") {
				if slug, ok := term(vacancies.Patterns, p); ok {
					patterns[slug] = true
				}
			}
		}
		if len(patterns) == 0 {
			patterns["full-time"] = true
		}
	}
	if w.hours == 0 {
		w.hours = fullTimeHours
		if patterns["part-time"] && !patterns["full-time"] {
			w.hours = partTimeHours
		}
	}
	for _, t := range vacancies.Patterns {
		if patterns[t.Slug] {
			w.patterns = append(w.patterns, t.Slug)
		}
	}
}

var (
	// hoursFigure is a figure at the start ("37.5", "22.5hrs", "30-37.5") or one followed by hours
	// anywhere ("up to 40 hours"), but not a time of day ("9am to 5pm").
	hoursFigure = regexp.MustCompile(`(?i)^\s*(\d+(?:[.,]\d+)?)\s*(?:-\s*\d+(?:[.,]\d+)?\s*)?(?:hours?|hrs?|h|hpw)?\b|(\d+(?:[.,]\d+)?)\s*(?:hours?|hrs?|hpw)\b`)
	// notWeekly marks hours counted over another period, which we do not convert.
	notWeekly = regexp.MustCompile(`(?i)\b(?:day|daily|month|monthly|year|annum|annual|fortnight)`)
)

// hoursOf reads hours a week from "37.5", "37.5 hours per week", "22.5hrs"
// or "37,5"; 0 when there is no believable weekly figure.
func hoursOf(text string) float64 {
	if notWeekly.MatchString(text) {
		return 0
	}
	m := hoursFigure.FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	h, err := strconv.ParseFloat(strings.Replace(m[1]+m[2], ",", ".", 1), 64)
	if err != nil || h <= 0 || h > 60 {
		return 0
	}
	return h
}

// titleWordsForTerms drops phrases in titles that hold a contract word
// without meaning it: a blood bank scientist is not on the bank.
func titleWordsForTerms(title string) string {
	tw := words(title)
	for _, phrase := range []string{"blood bank", "food bank", "milk bank", "tissue bank", "bank holiday", "bone bank"} {
		tw = strings.ReplaceAll(tw, " "+phrase+" ", " ")
	}
	return tw
}

// fieldContracts are checked in order: the specific kinds before permanent,
// so "Permanent / Bank" and "Fixed term (maternity cover)" read as meant.
var fieldContracts = phraseTable([]struct {
	slug    string
	phrases []string
}{
	{"apprenticeship", []string{"apprenticeship*", "apprentice*", "intern", "interns", "internship*", "traineeship*"}},
	{"secondment", []string{"secondment*"}},
	{"rotation", []string{"rotation*", "rotational"}},
	{"bank", []string{"bank", "per diem", "zero hour*", "relief", "ad hoc", "casual"}},
	{"fixed-term", []string{"fixed term*", "fixed period", "temporary", "temp", "locum*", "maternity cover",
		"maternity leave cover", "interim", "seasonal", "contractor"}},
	{"permanent", []string{"permanent", "perm", "substantive"}},
})

var fieldPatterns = phraseTable([]struct {
	slug    string
	phrases []string
}{
	{"full-time", []string{"full time", "fulltime", "ft", "whole time"}},
	{"part-time", []string{"part time", "parttime", "pt"}},
	{"nights", []string{"nights", "night", "night shift*", "night duty"}},
	{"weekends", []string{"weekend*"}},
	{"term-time", []string{"term time*"}},
	{"job-share", []string{"job share*", "jobshare*"}},
	{"flexible", []string{"flexible*", "flexi", "flexitime", "compressed hours", "annualised hours", "annualized hours"}},
})

var titleContracts = phraseTable([]struct {
	slug    string
	phrases []string
}{
	{"apprenticeship", []string{"apprenticeship*", "apprentice*"}},
	{"secondment", []string{"secondment*"}},
	{"rotation", []string{"rotation*", "rotational"}},
	{"bank", []string{"bank"}},
	{"fixed-term", []string{"fixed term*", "maternity cover", "maternity leave cover", "temporary", "locum*"}},
})

var titlePatterns = slices.DeleteFunc(slices.Clone(fieldPatterns), func(p phraseValue) bool {
	return p.phrase == "ft" || p.phrase == "pt" // too short to trust in a title
})
