package demo

import (
	"fmt"
	"math"

	"github.com/regionalcareers/portal/internal/vacancies"
)

// Pay text formats real feeds send (see /work/shared/data/salary-formats.md),
// with %[1]s and %[2]s the bottom and top of the range. Every format keeps
// the figures themselves exact, so the text always agrees with Min and Max.
var (
	rangeFull = []string{"%s - %s per annum", "%s - %s per annum", "%s - %s", "%s to %s pa", "%s to %s per annum", "%s - %s pa"}
	rangePart = []string{"%s - %s per annum pro rata", "%s - %s per annum, pro rata", "%s - %s pa pro rata",
		"%s - %s pro rata", "%s - %s pro rata per annum", "%s to %s pa/pr", "%s - %s pa pr"}
	singleFull  = []string{"%s per annum", "%s pa", "%s"}
	singlePart  = []string{"%s per annum pro rata", "%s pa pro rata", "%s pro rata"}
	hourFormats = []string{"%s - %s per hour", "%s to %s per hour", "%s to %s per hour DOE", "%s per hour - %s per hour",
		"%s - %s an hour", "%s-%s p/h"}
)

// pay states the role's pay as a feed would: a band's scale, or a range
// per year or hour that varies a little between employers unless it is a
// published scale.
func (g *generator) pay(rule payRule, partTime bool) vacancies.Pay {
	if rule.Band != "" {
		scale := vacancies.AfCPayScale[rule.Band]
		p := vacancies.Pay{Band: rule.Band, Min: scale.Min, Period: "year"}
		if scale.Max > scale.Min {
			p.Max = scale.Max
		}
		if g.rng.IntN(10) == 0 {
			p.Text = "Band " + rule.Band
		} else {
			p.Text = g.annualText(p.Min, p.Max, partTime)
		}
		return p
	}
	lo, hi := rule.Min, rule.Max
	if !rule.Fixed {
		step := 500.0
		if rule.Period == "hour" {
			step = 0.15
		}
		bump := step * float64(g.rng.IntN(3))
		lo, hi = round2(lo+bump), round2(hi+bump)
	}
	p := vacancies.Pay{Min: lo, Max: hi, Period: rule.Period}
	if rule.Period == "hour" {
		p.Text = fmt.Sprintf(pick(g.rng, hourFormats), fmt.Sprintf("£%.2f", lo), fmt.Sprintf("£%.2f", hi))
	} else {
		p.Text = g.annualText(lo, hi, partTime)
	}
	switch {
	case rule.Note == "NHS Consultant Scale" && g.rng.IntN(4) == 0:
		p.Text = rule.Note
	case rule.Note != "" && (rule.Period == "hour" || g.rng.IntN(2) == 0):
		p.Text += " (" + rule.Note + ")"
	}
	return p
}

// annualText writes an annual range, or a single figure when max is 0.
func (g *generator) annualText(lo, hi float64, partTime bool) string {
	amount := pick(g.rng, []func(float64) string{vacancies.Pounds, vacancies.Pounds, vacancies.Pounds, poundsPlain, poundsPence})
	if hi == 0 {
		formats := singleFull
		if partTime {
			formats = singlePart
		}
		return fmt.Sprintf(pick(g.rng, formats), amount(lo))
	}
	formats := rangeFull
	if partTime {
		formats = rangePart
	}
	return fmt.Sprintf(pick(g.rng, formats), amount(lo), amount(hi))
}

// poundsPlain writes "£29970", as some recruitment systems do.
func poundsPlain(v float64) string { return fmt.Sprintf("£%d", int64(math.Round(v))) }

// poundsPence writes "£29970.00", as NHS Jobs' XML does.
func poundsPence(v float64) string { return fmt.Sprintf("£%.2f", v) }

func round2(v float64) float64 { return math.Round(v*100) / 100 }
