// Package formats reads partner vacancy feeds (Indeed XML, NHS Jobs XML,
// schema.org JobPosting JSON-LD, CSV and JSON) into Items: each vacancy as
// the feed sent it, strings as found, before any normalising. Parsers
// stream: they emit items one at a time and never hold the whole document.
// This package must not touch the database, search or the network except
// through the Fetch function it is given.
package formats

import (
	"context"
	"errors"
	"io"
)

// Item is one vacancy as a feed sent it. Every field is the feed's own
// text, trimmed of surrounding whitespace; empty when the feed had none.
type Item struct {
	Position       int    // 1-based position in the document, for reports
	Line           int    // line the item starts on (XML, CSV); 0 when unknown
	Reference      string // the partner's own reference or id
	Title          string
	Description    string // HTML or plain text as sent (entities decoded once, CDATA unwrapped)
	Employer       string
	Locations      []Location
	Salary         string // free text, e.g. "£24,071 - £25,674 per annum"
	SalaryMin      string // when the feed gives numbers separately
	SalaryMax      string
	SalaryUnit     string // e.g. "YEAR", "HOUR"
	SalaryCurrency string // e.g. "GBP", when the feed names one (JSON-LD)
	Band           string // e.g. "Band 5", when given apart from salary
	Contract       string // the feed's words: "Permanent", "Full-time", "Bank", ...
	Pattern        string // the feed's working pattern words, when separate from Contract
	Hours          string // hours per week, as text
	Category       string // the feed's category or staff group
	PostedDate     string
	ClosingDate    string
	URL            string // where to apply / read more
	Remote         string
	// Problem, when not empty, says why this item cannot be read (a CSV
	// row with the wrong number of fields, a JSON element that is not an
	// object, a JSON-LD page that would not load). The runner rejects the
	// item with this reason and imports the rest; the other fields hold
	// what could be read, for the report.
	Problem string
}

// Location is one place as the feed gave it.
type Location struct {
	Text     string // a free-text place, e.g. "Ely, Cambridgeshire", or a street address
	Town     string
	Region   string // county or state, when given apart (Indeed's state, JSON-LD's addressRegion)
	Postcode string
	Country  string
	Lat      string
	Lon      string
}

// Mapping adapts a feed to the portal: which of its columns or keys hold
// which field (CSV and JSON), and how its words translate to ours (used
// when normalising). It is stored with the feed as JSON.
type Mapping struct {
	// Fields maps our field names (reference, title, description, employer,
	// location, town, region, postcode, country, lat, lon, salary,
	// salary_min, salary_max, salary_unit, salary_currency, band, contract,
	// pattern, hours, category, posted, closing, url, remote) to the feed's
	// column header or JSON key. JSON keys may be dotted paths
	// ("location.town"). A few keys steer a parser instead:
	//   - root (JSON): the key, or dotted path, of the array of vacancies
	//     when the document wraps it, e.g. {"jobs": [...]} → "jobs".
	//   - base_url (JSON-LD): the listing page's own URL, set by the runner
	//     to the feed URL; links are resolved against it and only links to
	//     its host are followed.
	//   - link_prefix (JSON-LD, optional): follow only links whose path
	//     starts with this, e.g. "/jobs/".
	Fields map[string]string `json:"fields,omitempty"`
	// StaffGroups maps the feed's category words to our staff group slugs.
	StaffGroups map[string]string `json:"staff_groups,omitempty"`
	// Contracts and Patterns map the feed's words to our slugs.
	Contracts map[string]string `json:"contracts,omitempty"`
	Patterns  map[string]string `json:"patterns,omitempty"`
	// Defaults fill what the feed leaves out: location (a place or
	// postcode), contract, pattern, hours, staff_group.
	Defaults map[string]string `json:"defaults,omitempty"`
	// Delimiter for CSV (default ",").
	Delimiter string `json:"delimiter,omitempty"`
}

// Fetch opens a URL for a parser that must follow links (JSON-LD job
// pages). The runner supplies one with the feed's limits and auth.
type Fetch func(ctx context.Context, url string) (io.ReadCloser, error)

// Parser reads a document from r and calls emit for every item, in
// document order. It returns an error when the document as a whole cannot
// be read (malformed beyond recovery, wrong format): the run then changes
// nothing. An error from emit stops the parse and is returned as is.
type Parser func(ctx context.Context, r io.Reader, m Mapping, fetch Fetch, emit func(Item) error) error

// ErrMalformed wraps whole-document failures.
var ErrMalformed = errors.New("malformed feed")
