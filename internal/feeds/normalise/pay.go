package normalise

import (
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/regionalcareers/portal/internal/vacancies"
)

// Pay reads what a feed says about pay: free text (salary), the separate
// figures JSON-LD's baseSalary gives (min, max and unit, which win when
// numeric) and a band. It never fails: what it cannot read becomes "not
// stated" with the employer's words kept in Text, and it never turns an
// hourly rate into an annual one.
//
// Decisions worth knowing:
//   - Only the first amount or range counts; bonuses, London weighting and
//     figures in brackets after it ("£18.15 per hour (£37,752 per annum)")
//     are left to Text.
//   - "Up to £43,772" sets Min = Max = 43,772: a stated pay needs a Min,
//     and the page shows "As advertised: Up to £43,772" beside it.
//   - Pay per week, month, day, session or shift is not stated: the portal
//     compares pay per year or per hour, and guessing hours would mislead.
//   - Without a period word, amounts of 1,000 or more are per year and
//     under 100 per hour; anything between is not stated.
//   - Per-year pay under £1,000 or over £1,000,000, and hourly pay over
//     £1,000, are not believed: not stated.
func Pay(salary, min, max, unit, band string) vacancies.Pay {
	text := payText(salary)
	pay := vacancies.Pay{Text: text, Band: bandOf(band, true)}
	if pay.Band == "" {
		pay.Band = bandOf(text, false)
	}
	low, high, figures := statedFigures(min, max)
	if figures {
		switch period, known := periodOfUnit(unit, low); {
		case period != "":
			if stated := withAmounts(pay, low, high, period); stated.Min > 0 {
				return stated
			}
		case known: // per week, month or day
			if pay.Text == "" {
				pay.Text = describeFigures(low, high, unit)
			}
			return pay
		}
		// figures we cannot believe or place: the text may say more
	}
	if low, high, period, ok := readSalary(text); ok {
		pay = withAmounts(pay, low, high, period)
	}
	if pay.Text == "" && pay.Band == "" && pay.Min == 0 {
		pay.Text = payText(band) // a band we could not read is still the employer's words
		if pay.Text == "" && figures {
			pay.Text = describeFigures(low, high, unit)
		}
	}
	return pay
}

// maxPayText bounds Text: a salary field holding a paragraph is a feed fault, not pay.
const maxPayText = 300

func payText(s string) string {
	return truncateAtWord(collapseSpace(html.UnescapeString(s)), maxPayText)
}

// withAmounts sets Min, Max and Period when the figures are believable for the period.
func withAmounts(pay vacancies.Pay, low, high float64, period string) vacancies.Pay {
	if high > 0 && high < low {
		low, high = high, low
	}
	if low <= 0 || !believable(low, period) || (high > 0 && !believable(high, period)) {
		return pay
	}
	pay.Min, pay.Max, pay.Period = round2(low), round2(high), period
	return pay
}

func believable(amount float64, period string) bool {
	switch period {
	case "year":
		return amount >= 1000 && amount <= 1_000_000
	case "hour":
		return amount > 0 && amount <= 1000
	}
	return false
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// statedFigures reads JSON-LD's separate minValue and maxValue. A lone
// maxValue is "up to" that figure, so it becomes both ends.
func statedFigures(min, max string) (low, high float64, ok bool) {
	low, lowOK := figure(min)
	high, highOK := figure(max)
	switch {
	case lowOK && highOK:
		return low, high, true
	case lowOK:
		return low, 0, true
	case highOK:
		return high, high, true
	}
	return 0, 0, false
}

var plainFigure = regexp.MustCompile(`^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([kK])?$`)

// figure reads one number such as "24071", "24,071.00", "£24,071" or "85k".
func figure(s string) (float64, bool) {
	m := plainFigure.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", "")+m[2], 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) {
		return 0, false
	}
	if m[3] != "" {
		v *= 1000
	}
	return v, true
}

// periodOfUnit maps schema.org unitText to our period. known is true with
// period "" for the units we do not compare (week, month, day). Without a
// unit the size of the figure decides.
func periodOfUnit(unit string, amount float64) (period string, known bool) {
	switch strings.ToUpper(strings.NewReplacer("_", "", "-", "", " ", "").Replace(unit)) {
	case "HOUR", "HOURLY", "PERHOUR", "HR":
		return "hour", true
	case "YEAR", "YEARLY", "ANNUAL", "ANNUALLY", "ANNUM", "PERANNUM", "PERYEAR", "PA":
		return "year", true
	case "MONTH", "MONTHLY", "PERMONTH", "WEEK", "WEEKLY", "PERWEEK", "DAY", "DAILY", "PERDAY":
		return "", true
	case "":
		return periodBySize(amount), false
	}
	return "", false
}

func periodBySize(amount float64) string {
	switch {
	case amount >= 1000:
		return "year"
	case amount < 100:
		return "hour"
	}
	return ""
}

// describeFigures writes "£2,000 a month" for figures we keep only as words.
func describeFigures(low, high float64, unit string) string {
	s := money(low)
	if high > low {
		s += " to " + money(high)
	}
	switch u := strings.ToLower(strings.TrimSpace(unit)); u {
	case "":
	case "hour":
		s += " an hour"
	case "year", "month", "week", "day":
		s += " a " + u
	default:
		s += " per " + u
	}
	return s
}

func money(v float64) string {
	if v != math.Trunc(v) {
		return "£" + strconv.FormatFloat(v, 'f', 2, 64)
	}
	return vacancies.Pounds(v)
}

// Bands as written: "Band 5", "AfC Band 8a", "band 8A", or a bare "6" in a band field.
var (
	bandInText = regexp.MustCompile(`(?i)\bband\s*:?\s*([2-9])\s*([a-d])?\b`)
	bareBand   = regexp.MustCompile(`(?i)^(?:afc\s*|agenda\s+for\s+change\s*)?(?:band\s*)?([2-9])\s*([a-d])?\b`)
	// bandPhrase covers the band and any band after it ("Band 5/6", "Band 6 - 7") so
	// their digits are not read as pay.
	bandPhrase = regexp.MustCompile(`(?i)\b(?:afc\s+)?band\s*:?\s*\d[a-d]?(?:\s*(?:/|-|–|to|or|and|&)\s*(?:band\s*)?\d[a-d]?\b)*`)
)

// bandOf finds the first Agenda for Change band in text; "" when none.
// "Band 5/6" is Band 5, the band the role starts at. A bare "6" counts only
// in a field that holds nothing but the band.
func bandOf(text string, bandField bool) string {
	text = strings.TrimSpace(text)
	m := bandInText.FindStringSubmatch(text)
	if m == nil && bandField {
		m = bareBand.FindStringSubmatch(text)
	}
	if m == nil {
		return ""
	}
	band := strings.ToLower(m[1] + m[2])
	if vacancies.Bands.Has(band) {
		return band
	}
	if vacancies.Bands.Has(m[1]) { // "Band 6a" is no band: 6 is what is meant
		return m[1]
	}
	return ""
}
