package normalise

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London must load on machines without zoneinfo
)

// london is where the portal's calendar days are counted.
var london = loadLondon()

func loadLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil { // cannot happen with tzdata embedded; UTC is within an hour of right
		return time.UTC
	}
	return loc
}

// dateLayouts are tried in order; each is parsed in Europe/London so a time
// without a zone is London time and "BST"/"GMT" get their real offsets.
// Fractional seconds after the seconds are accepted by time.Parse itself.
var dateLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05Z07",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05 Z0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	time.DateOnly,
	"2006/01/02",
	// RFC 1123 and 822 with their commas already dropped by wordyDate.
	"Mon 2 Jan 2006 15:04:05 MST",
	"Mon 2 Jan 2006 15:04:05 -0700",
	"Mon 2 Jan 2006 15:04:05 -07:00",
	"Mon 2 Jan 2006 15:04 MST",
	"Mon 2 Jan 2006 15:04 -0700",
	"Mon 2 Jan 2006 15:04:05",
	"Mon 2 Jan 06 15:04:05 MST",
	"Mon 2 Jan 06 15:04:05 -0700",
	"Monday 02-Jan-06 15:04:05 MST",
	"Mon Jan _2 15:04:05 2006",
	"Mon Jan _2 15:04:05 MST 2006",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 Jan 2006",
	"2 January 2006",
	"2 Jan 06",
	"Jan 2 2006",
	"January 2 2006",
	"Mon 2 Jan 2006",
	"Monday 2 January 2006",
}

var (
	// numericDate is d/m/y with /, - or . and an optional time after it.
	numericDate      = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]m)?)?$`)
	ordinal          = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)\b`)
	septAbbreviation = regexp.MustCompile(`(?i)\bsept\b`)
	spacing          = regexp.MustCompile(`\s+`)
)

// Date reads a date as feeds write it and returns that calendar day as UTC
// midnight. A time with a zone is first moved to Europe/London, so
// "2026-06-30T23:30:00Z" is 1 July. Numeric dates are day first, as UK
// feeds write them: "03/04/2026" is 3 April; "11/30/2026" is read month
// first only because 30 cannot be a month.
func Date(text string) (time.Time, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return time.Time{}, fmt.Errorf("no date given")
	}
	if len(s) > 64 {
		return time.Time{}, fmt.Errorf("%q is not a date", truncateAtWord(s, 40))
	}
	if d, ok := numericDay(s); ok {
		return d, nil
	}
	for _, candidate := range []string{s, wordyDate(s)} {
		for _, layout := range dateLayouts {
			if t, err := time.ParseInLocation(layout, candidate, london); err == nil {
				return calendarDay(t), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

// wordyDate drops commas and ordinals and the "t" of "Sept", so
// "Monday, 30th Sept, 2026" meets the layout "Monday 2 Jan 2006".
func wordyDate(s string) string {
	s = strings.ReplaceAll(s, ",", " ")
	s = ordinal.ReplaceAllString(s, "$1")
	s = septAbbreviation.ReplaceAllString(s, "Sep")
	return strings.TrimSpace(spacing.ReplaceAllString(s, " "))
}

// numericDay reads "30/11/2026", "30-11-2026", "30.11.26" and, when the
// day-first reading is impossible, "11/30/2026".
func numericDay(s string) (time.Time, bool) {
	m := numericDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	first, _ := strconv.Atoi(m[1])
	second, _ := strconv.Atoi(m[2])
	year, _ := strconv.Atoi(m[3])
	if len(m[3]) == 2 {
		year += 2000
	}
	if d, ok := validDay(year, second, first); ok {
		return d, true
	}
	return validDay(year, first, second)
}

func validDay(year, month, day int) (time.Time, bool) {
	d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if d.Year() != year || int(d.Month()) != month || d.Day() != day {
		return time.Time{}, false // 31/02 would otherwise roll over to March
	}
	return d, true
}

// calendarDay is t's date in London, as UTC midnight.
func calendarDay(t time.Time) time.Time {
	y, m, d := t.In(london).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
