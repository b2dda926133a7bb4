package normalise

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// defaultKeys are the Mapping.Defaults normalising reads.
var defaultKeys = []string{"closing_days", "contract", "hours", "location", "pattern", "pay", "staff_group"}

// CheckMapping returns a message for each entry of a feed's mapping that
// normalising would ignore (a staff group, contract or pattern that is not
// ours, a default it cannot use), keyed "staff_groups.<category>",
// "contracts.<word>", "patterns.<word>" or "defaults.<key>". The feed's
// settings form shows them so a mistake is not silently skipped on every run.
func CheckMapping(m formats.Mapping, g *geo.Gazetteer) map[string]string {
	if g == nil {
		g = geo.Default()
	}
	errs := map[string]string{}
	for from, to := range m.StaffGroups {
		if _, ok := term(vacancies.StaffGroups, to); !ok {
			errs["staff_groups."+from] = fmt.Sprintf("%q is not a staff group", to)
		}
	}
	for name, table := range map[string]map[string]string{"contracts": m.Contracts, "patterns": m.Patterns} {
		for from, to := range table {
			_, isContract := term(vacancies.Contracts, to)
			_, isPattern := term(vacancies.Patterns, to)
			if !isContract && !isPattern {
				errs[name+"."+from] = fmt.Sprintf("%q is not a contract type or working pattern", to)
			}
		}
	}
	for _, key := range slices.Sorted(maps.Keys(m.Defaults)) {
		if msg := checkDefault(key, strings.TrimSpace(m.Defaults[key]), g); msg != "" {
			errs["defaults."+key] = msg
		}
	}
	return errs
}

func checkDefault(key, value string, g *geo.Gazetteer) string {
	switch key {
	case "closing_days":
		if n, err := strconv.Atoi(value); err != nil || n < 1 || n > furthestClosing {
			return fmt.Sprintf("Closing days must be a whole number from 1 to %d", furthestClosing)
		}
	case "contract":
		if _, ok := term(vacancies.Contracts, value); !ok {
			return fmt.Sprintf("%q is not a contract type", value)
		}
	case "pattern":
		for _, p := range strings.Split(value, ",") {
			if _, ok := term(vacancies.Patterns, p); !ok {
				return fmt.Sprintf("%q is not a working pattern", strings.TrimSpace(p))
			}
		}
	case "hours":
		if hoursOf(value) == 0 {
			return "Hours must be hours per week between 1 and 60"
		}
	case "staff_group":
		if _, ok := term(vacancies.StaffGroups, value); !ok {
			return fmt.Sprintf("%q is not a staff group", value)
		}
	case "location":
		if _, err := locate(formats.Location{Text: value}, g); err != nil {
			return fmt.Sprintf("%q is not a place or postcode we know", value)
		}
	case "pay":
		if value == "" {
			return "Say how pay is described, for example Competitive"
		}
	default:
		return fmt.Sprintf("%q is not a default we use (we use %s)", key, strings.Join(defaultKeys, ", "))
	}
	return ""
}
