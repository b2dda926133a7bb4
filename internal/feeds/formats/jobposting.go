package formats

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// decodeJSONLD returns the values in one <script type="application/ld+json">
// block, after mending what sites commonly get wrong (see mendJSON). A
// block may hold several values one after another.
func decodeJSONLD(block string) ([]any, error) {
	dec := json.NewDecoder(strings.NewReader(mendJSON(block)))
	dec.UseNumber()
	var values []any
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			return values, jsonErr(err, dec)
		}
		values = append(values, v)
	}
	if len(values) == 0 {
		return nil, errors.New("the JSON-LD block is empty")
	}
	return values, nil
}

// mendJSON strips the comment and CDATA wrappers old pages put around
// scripts, escapes raw line breaks and tabs inside strings, and drops
// trailing commas. Each of these makes valid JSON of invalid JSON only.
func mendJSON(s string) string {
	s = strings.TrimSpace(s)
	for _, wrapper := range [][2]string{{"<!--", "-->"}, {"//<![CDATA[", "//]]>"}, {"/*<![CDATA[*/", "/*]]>*/"}, {"<![CDATA[", "]]>"}} {
		if strings.HasPrefix(s, wrapper[0]) {
			s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(s, wrapper[0])), wrapper[1]))
		}
	}
	var out bytes.Buffer
	out.Grow(len(s))
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString && c < 0x20:
			switch c {
			case '\n':
				out.WriteString(`\n`)
			case '\r':
				out.WriteString(`\r`)
			case '\t':
				out.WriteString(`\t`)
			default:
				out.WriteString(`\u00` + strconv.FormatUint(uint64(c)>>4, 16) + strconv.FormatUint(uint64(c)&0xF, 16))
			}
			continue
		case c == '"':
			inString = true
		case c == ',':
			rest := strings.TrimLeft(s[i+1:], " \t\r\n")
			if rest != "" && (rest[0] == '}' || rest[0] == ']') {
				continue
			}
		}
		out.WriteByte(c)
	}
	return out.String()
}

// findJobPostings collects every JobPosting in v, wherever it sits (top
// level, in an array, in @graph, as a WebPage's mainEntity), and the url of
// every ListItem (listing pages mark up their links as an ItemList).
func findJobPostings(v any, postings *[]map[string]any, listed *[]string) {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			findJobPostings(e, postings, listed)
		}
	case map[string]any:
		if hasType(t, "JobPosting") {
			*postings = append(*postings, t)
			return
		}
		if hasType(t, "ListItem") {
			if u := listItemURL(t); u != "" {
				*listed = append(*listed, u)
			}
		}
		keys := make([]string, 0, len(t))
		for key := range t {
			keys = append(keys, key)
		}
		sort.Strings(keys) // document order is lost in a map; be at least repeatable
		for _, key := range keys {
			findJobPostings(t[key], postings, listed)
		}
	}
}

// listItemURL returns a ListItem's url, or its item's when the item is
// a link or a thing with an @id or url.
func listItemURL(li map[string]any) string {
	if u, ok := li["url"].(string); ok && u != "" {
		return u
	}
	switch item := li["item"].(type) {
	case string:
		return item
	case map[string]any:
		u, _ := item["url"].(string)
		id, _ := item["@id"].(string)
		return firstNonEmpty(u, id)
	}
	return ""
}

// hasType reports whether obj's @type is, or lists, want; "schema:JobPosting"
// and "https://schema.org/JobPosting" count.
func hasType(obj map[string]any, want string) bool {
	for _, t := range jsonValues(obj["@type"], nil) {
		if i := strings.LastIndexAny(t, "/:#"); i >= 0 {
			t = t[i+1:]
		}
		if strings.EqualFold(strings.TrimSpace(t), want) {
			return true
		}
	}
	return false
}

// jobPostingItem maps a schema.org JobPosting found on page.
func jobPostingItem(p map[string]any, page *url.URL) Item {
	it := Item{
		Reference:   plain(jsonText(p["identifier"])),
		Title:       plain(firstNonEmpty(jsonText(p["title"]), jsonText(p["name"]))),
		Description: markup(jsonText(p["description"])),
		Employer:    plain(jsonText(p["hiringOrganization"])),
		Locations:   jobLocations(p["jobLocation"]),
		Contract:    plain(jsonList(p["employmentType"])),
		Hours:       plain(jsonText(p["workHours"])),
		Category:    plain(firstNonEmpty(jsonList(p["occupationalCategory"]), jsonList(p["industry"]))),
		PostedDate:  plain(jsonText(p["datePosted"])),
		ClosingDate: plain(jsonText(p["validThrough"])),
		Remote:      plain(jsonList(p["jobLocationType"])),
		URL:         page.String(),
	}
	if u, err := page.Parse(link(jsonText(p["url"]))); err == nil && jsonText(p["url"]) != "" {
		it.URL = u.String()
	}
	if !setSalary(&it, p["baseSalary"]) {
		setSalary(&it, p["estimatedSalary"])
	}
	return it
}

// jsonText returns v as text: a string or number as written, the first
// such in an array, and for an object its @value, value or name (a
// PropertyValue identifier, an Organization, a CategoryCode).
func jsonText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case []any:
		for _, e := range t {
			if s := jsonText(e); s != "" {
				return s
			}
		}
	case map[string]any:
		for _, key := range []string{"@value", "value", "name", "codeValue"} {
			if s := jsonText(t[key]); s != "" {
				return s
			}
		}
	}
	return ""
}

// jsonList returns every value in v as text, joined with ", ".
func jsonList(v any) string {
	list, ok := v.([]any)
	if !ok {
		return jsonText(v)
	}
	var parts []string
	for _, e := range list {
		parts = append(parts, strings.TrimSpace(jsonText(e)))
	}
	return joinNonEmpty(", ", parts...)
}

// jobLocations maps jobLocation: a Place, a list of them, or text.
func jobLocations(v any) []Location {
	var places []any
	if list, ok := v.([]any); ok {
		places = list
	} else if v != nil {
		places = []any{v}
	}
	var locations []Location
	for _, p := range places {
		var l Location
		switch place := p.(type) {
		case string:
			l.Text = plain(place)
		case map[string]any:
			l = placeLocation(place)
		}
		if !emptyLocation(l) {
			locations = append(locations, l)
		}
	}
	return locations
}

func placeLocation(place map[string]any) Location {
	l := Location{}
	street := ""
	switch address := place["address"].(type) {
	case string:
		street = address
	case []any, map[string]any:
		a, _ := address.(map[string]any)
		if list, ok := address.([]any); ok && len(list) > 0 {
			a, _ = list[0].(map[string]any)
		}
		street = jsonText(a["streetAddress"])
		l.Town = plain(jsonText(a["addressLocality"]))
		l.Region = plain(jsonText(a["addressRegion"]))
		l.Postcode = plain(jsonText(a["postalCode"]))
		l.Country = plain(jsonText(a["addressCountry"]))
	}
	l.Text = joinNonEmpty(", ", plain(jsonText(place["name"])), plain(street))
	geo, _ := place["geo"].(map[string]any)
	if geo == nil {
		geo = place
	}
	l.Lat = plain(jsonText(geo["latitude"]))
	l.Lon = plain(jsonText(geo["longitude"]))
	return l
}

// setSalary maps baseSalary: a MonetaryAmount whose value is a
// QuantitativeValue (value, or minValue and maxValue, and unitText) or a
// number, or plain text or a number. It reports whether there was one.
func setSalary(it *Item, v any) bool {
	if list, ok := v.([]any); ok && len(list) > 0 {
		v = list[0]
	}
	switch amount := v.(type) {
	case string, json.Number:
		it.Salary = plain(jsonText(amount))
	case map[string]any:
		it.SalaryCurrency = plain(jsonText(amount["currency"]))
		quantity := amount // minValue and maxValue may sit on the MonetaryAmount itself
		switch value := amount["value"].(type) {
		case map[string]any:
			quantity = value
			if v := plain(jsonText(value["value"])); v != "" {
				it.SalaryMin, it.SalaryMax = v, v
			}
		case string:
			it.Salary = plain(value)
		case json.Number:
			it.SalaryMin, it.SalaryMax = value.String(), value.String()
		}
		it.SalaryMin = firstNonEmpty(plain(jsonText(quantity["minValue"])), it.SalaryMin)
		it.SalaryMax = firstNonEmpty(plain(jsonText(quantity["maxValue"])), it.SalaryMax)
		it.SalaryUnit = firstNonEmpty(plain(jsonText(quantity["unitText"])), plain(jsonText(amount["unitText"])))
	default:
		return false
	}
	return it.Salary != "" || it.SalaryMin != "" || it.SalaryMax != ""
}
