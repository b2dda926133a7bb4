package normalise

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// amount is one figure found in a salary text.
type amount struct {
	value      float64
	start, end int  // byte offsets in the text
	pound      bool // written with £
	thousands  bool // written with k: "£85K"
	formatted  bool // written with a thousands comma or pence: "33,000", "10.09"
}

var (
	amountPattern = regexp.MustCompile(`(£\s*)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s*[kK])?`)
	// notPay follows figures that count something other than money.
	notPay = regexp.MustCompile(`(?i)^\s*(?:%|hours?\b|hrs?\b|days?\b|weeks?\b|months?\b|years?\b|yrs?\b|sessions?\b|miles?\b|am\b|pm\b|[./]\d)`)

	hourWords  = regexp.MustCompile(`(?i)\bper\s+hour\b|\ban\s+hour\b|\bp\s*/\s*h(?:r|our)?\b|\bp\.h\b|\bph\b|\bphr\b|\bper\s+hr\b|\bhourly\b|/\s*h(?:ou)?r?\b`)
	yearWords  = regexp.MustCompile(`(?i)\bper\s+annum\b|\bp\.?\s?a\b|\bp\s*/\s*a\b|\bannum\b|\bannual(?:ly)?\b|\bper\s+year\b|\ba\s+year\b|\byearly\b|\bwte\b|\bfte\b`)
	otherWords = regexp.MustCompile(`(?i)\bper\s+(?:week|month|day|session|shift|visit|call|sleep|night)\b|\ba\s+(?:week|month|day)\b|\b(?:weekly|monthly|daily|sessional)\b|\bp\s*/\s*[wm]\b|\bpw\b|\bpcm\b`)
	upTo       = regexp.MustCompile(`(?i)\bup\s+to\s*$`)
)

// readSalary finds the first amount or range in a salary text and its
// period. Band phrases are blanked first so "Band 5" is not £5 an hour.
func readSalary(text string) (low, high float64, period string, ok bool) {
	masked := bandPhrase.ReplaceAllStringFunc(text, func(s string) string { return strings.Repeat(" ", len(s)) })
	amounts := findAmounts(masked)
	first := firstAmount(amounts)
	if first < 0 {
		return 0, 0, "", false
	}
	lo := amounts[first]
	low = lo.value
	periodFrom, periodTo := lo.end, len(text)
	next := first + 1
	if next < len(amounts) {
		periodTo = amounts[next].start
		if hi := amounts[next]; isRangeSeparator(text[lo.end:hi.start]) {
			high = hi.value
			if hi.thousands && !lo.thousands && low < 1000 { // "£40-45k"
				low *= 1000
			}
			periodTo = len(text)
			if next+1 < len(amounts) {
				periodTo = amounts[next+1].start
			}
		}
	}
	if high == 0 && upTo.MatchString(text[:lo.start]) {
		high = low
	}
	period, stated := periodIn(text[periodFrom:periodTo])
	if !stated {
		period, stated = periodIn(text[:lo.start])
	}
	if !stated {
		switch {
		case lo.thousands:
			period = "year"
		default:
			period = periodBySize(low)
		}
	}
	if period == "" {
		return 0, 0, "", false
	}
	if high > 0 && !believable(high, period) {
		high = 0 // "£12 - £25,000": the ends disagree, so keep the first
	}
	return low, high, period, true
}

// findAmounts lists the figures that could be money, in order.
func findAmounts(text string) []amount {
	var found []amount
	for _, m := range amountPattern.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[0], m[1]
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_') {
			continue // part of a word or code: "HCAS2", "v1.2"
		}
		a := amount{start: start, end: end, pound: m[2] >= 0, thousands: m[8] >= 0}
		if a.thousands {
			if r, _ := utf8.DecodeRuneInString(text[end:]); unicode.IsLetter(r) { // "£30 Kings Lynn"
				a.thousands, a.end = false, max(m[5], m[7])
				end = a.end
			}
		}
		if !a.pound && notPay.MatchString(text[end:]) {
			continue
		}
		digits := text[m[4]:m[5]]
		a.formatted = strings.Contains(digits, ",") || m[6] >= 0
		pence := ""
		if m[6] >= 0 {
			pence = text[m[6]:m[7]]
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(digits, ",", "")+pence, 64)
		if err != nil || v > 1e9 {
			continue
		}
		if a.thousands {
			v *= 1000
		}
		a.value = v
		found = append(found, a)
	}
	return found
}

// firstAmount picks the amount the text is about: the first in pounds;
// when none has a £, the first that reads as money on its own ("33,000",
// "10.09 per hour") rather than a count or a year ("Grade 3", "2025").
func firstAmount(amounts []amount) int {
	for i, a := range amounts {
		if a.pound {
			return i
		}
	}
	for i, a := range amounts {
		if a.thousands || a.formatted || (a.value >= 1000 && (a.value < 1900 || a.value > 2100)) {
			return i
		}
	}
	return -1
}

// isRangeSeparator reports whether the text between two amounts joins them
// into a range: "-", " to ", " per hour - ".
func isRangeSeparator(between string) bool {
	between = hourWords.ReplaceAllString(between, " ")
	between = yearWords.ReplaceAllString(between, " ")
	switch strings.ToLower(strings.TrimSpace(between)) {
	case "-", "–", "—", "−", "to", "and", "- to", "&":
		return true
	}
	return false
}

// periodIn finds the first period word in text; "" with stated true for a
// period we do not compare (week, month, day, session).
func periodIn(text string) (period string, stated bool) {
	best, bestAt := "", -1
	for _, p := range []struct {
		words  *regexp.Regexp
		period string
	}{{hourWords, "hour"}, {yearWords, "year"}, {otherWords, ""}} {
		if loc := p.words.FindStringIndex(text); loc != nil && (bestAt < 0 || loc[0] < bestAt) {
			best, bestAt = p.period, loc[0]
		}
	}
	return best, bestAt >= 0
}
