package formats

import "strings"

// parsers are the formats by the names feeds store.
var parsers = map[string]Parser{
	"indeed":  Indeed,
	"nhsjobs": NHSJobs,
	"jsonld":  JSONLD,
	"csv":     CSV,
	"json":    JSON,
}

// ByName returns the parser for a feed's format: "indeed", "nhsjobs",
// "jsonld", "csv" or "json".
func ByName(name string) (Parser, bool) {
	p, ok := parsers[strings.ToLower(strings.TrimSpace(name))]
	return p, ok
}
