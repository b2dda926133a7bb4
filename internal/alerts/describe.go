package alerts

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/regionalcareers/portal/search"
)

// How often an alert may send.
const (
	Instant = "instant" // every run of the alerts job: within minutes of a role going live
	Daily   = "daily"   // at most one e-mail in about a day
	Weekly  = "weekly"  // at most one e-mail in about a week
)

// Frequencies lists every frequency, in the order forms offer them.
var Frequencies = []string{Instant, Daily, Weekly}

// FrequencyLabel says how often an alert sends, to finish a sentence like
// "We will e-mail you ...".
func FrequencyLabel(frequency string) string {
	switch frequency {
	case Instant:
		return "as soon as new jobs are posted"
	case Daily:
		return "once a day"
	case Weekly:
		return "once a week"
	}
	return frequency
}

// Normalise is the form a search is saved in: the /jobs query string
// without page or sort (a digest always lists the newest roles), with its
// parameters in a stable order so the same search saves the same way.
func Normalise(q search.VacancyQuery) string {
	q.Page, q.Sort = 1, ""
	return q.Encode()
}

// Describe says in words what a search matches: "Nurse jobs within 10
// miles of Wisbech (Band 5 or Band 6; Full time)". partnerName turns an
// employer's slug into its name; nil leaves slugs as they are.
func Describe(q search.VacancyQuery, partnerName func(slug string) string) string {
	var b strings.Builder
	if keywords := strings.Join(strings.Fields(q.Q), " "); keywords != "" {
		b.WriteString(capitalise(keywords) + " jobs")
	} else if q.Place != nil || q.Filtered() {
		b.WriteString("Jobs")
	} else {
		b.WriteString("All jobs in the region")
	}
	if q.Place != nil {
		b.WriteString(" within " + strconv.Itoa(q.Distance) + " " + plural(q.Distance, "mile", "miles") + " of " + q.Place.Name)
	}
	var facets []string
	for _, f := range search.Facets {
		var labels []string
		for _, v := range q.Filters[f.Param] {
			switch {
			case f.Terms != nil:
				v = f.Terms.Label(v)
			case partnerName != nil:
				v = partnerName(v)
			}
			labels = append(labels, v)
		}
		if len(labels) > 0 {
			facets = append(facets, strings.Join(labels, " or "))
		}
	}
	if len(facets) > 0 {
		b.WriteString(" (" + strings.Join(facets, "; ") + ")")
	}
	return b.String()
}

func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
