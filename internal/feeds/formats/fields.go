package formats

import (
	"fmt"
	"sort"
	"strings"
)

// itemFields are the names Mapping.Fields gives Item fields by, for CSV
// and JSON feeds.
var itemFields = []string{
	"reference", "title", "description", "employer",
	"location", "town", "region", "postcode", "country", "lat", "lon",
	"salary", "salary_min", "salary_max", "salary_unit", "salary_currency",
	"band", "contract", "pattern", "hours", "category",
	"posted", "closing", "url", "remote",
}

// placeFields are the item fields that make up Locations.
var placeFields = []string{"location", "town", "region", "postcode", "country", "lat", "lon"}

// steeringKeys are Mapping.Fields keys that steer a parser rather than
// name a field.
var steeringKeys = []string{"root", "base_url", "link_prefix"}

// fieldSources returns our field → the feed's column or key. With no
// mapping, every field is looked for under its own name, and fields the
// feed lacks are not an error (byName is then true).
func fieldSources(m Mapping, format string) (sources map[string]string, byName bool, err error) {
	sources = map[string]string{}
	var unknown []string
	for field, source := range m.Fields {
		switch {
		case contains(steeringKeys, field):
		case !contains(itemFields, field):
			unknown = append(unknown, field)
		case strings.TrimSpace(source) != "":
			sources[field] = strings.TrimSpace(source)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, false, fmt.Errorf("%s: the mapping names unknown fields %s; known fields are %s",
			format, strings.Join(unknown, ", "), strings.Join(itemFields, ", "))
	}
	if len(sources) > 0 {
		return sources, false, nil
	}
	for _, field := range itemFields {
		sources[field] = field
	}
	return sources, true, nil
}

// itemFromValues builds an Item from each field's values. Several values
// for a place field are several places, matched up by position (a single
// region or country applies to all); several values for any other field
// are joined with ", ".
func itemFromValues(values map[string][]string) Item {
	text := func(field string) string {
		var parts []string
		for _, v := range values[field] {
			parts = append(parts, plain(v))
		}
		return joinNonEmpty(", ", parts...)
	}
	var descriptions []string
	for _, v := range values["description"] {
		descriptions = append(descriptions, markup(v))
	}
	url := ""
	if urls := values["url"]; len(urls) > 0 {
		url = link(urls[0])
	}
	return Item{
		Reference:      text("reference"),
		Title:          text("title"),
		Description:    joinNonEmpty("\n", descriptions...),
		Employer:       text("employer"),
		Locations:      placesFromValues(values),
		Salary:         text("salary"),
		SalaryMin:      text("salary_min"),
		SalaryMax:      text("salary_max"),
		SalaryUnit:     text("salary_unit"),
		SalaryCurrency: text("salary_currency"),
		Band:           text("band"),
		Contract:       text("contract"),
		Pattern:        text("pattern"),
		Hours:          text("hours"),
		Category:       text("category"),
		PostedDate:     text("posted"),
		ClosingDate:    text("closing"),
		URL:            url,
		Remote:         text("remote"),
	}
}

func placesFromValues(values map[string][]string) []Location {
	count := 0
	for _, field := range placeFields {
		count = max(count, len(values[field]))
	}
	at := func(field string, i int) string {
		v := values[field]
		if len(v) == 1 && (field == "region" || field == "country") {
			return plain(v[0])
		}
		if i < len(v) {
			return plain(v[i])
		}
		return ""
	}
	var locations []Location
	for i := range count {
		l := Location{
			Text:     at("location", i),
			Town:     at("town", i),
			Region:   at("region", i),
			Postcode: at("postcode", i),
			Country:  at("country", i),
			Lat:      at("lat", i),
			Lon:      at("lon", i),
		}
		if !emptyLocation(l) {
			locations = append(locations, l)
		}
	}
	return locations
}
