package normalise

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// Great Britain's bounds, as vacancies.Validate checks them.
const (
	minLat, maxLat = 49.0, 61.0
	minLon, maxLon = -9.0, 3.0
	maxPlaceName   = 100
)

var (
	postcodeShape = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?( [0-9][A-Z]{2})?$`)
	fullPostcode  = regexp.MustCompile(`^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$`)
)

// locations places each of the feed's locations: its coordinates when the
// feed gives them (named from its town or text, "WISBECH" as "Wisbech"),
// else its postcode, else its town or text, through the gazetteer. A place
// the gazetteer does not know is dropped when another location of the item
// is found, and rejects the item when none is. An item with no location
// gets the feed's default one (Mapping.Defaults["location"]). Coordinates
// outside Great Britain reject the item: they are wrong, not elsewhere.
func locations(locs []formats.Location, defaultPlace string, g *geo.Gazetteer) ([]vacancies.Location, *Rejection) {
	if g == nil {
		g = geo.Default()
	}
	var found []vacancies.Location
	var firstProblem error
	given := 0
	for _, loc := range locs {
		if isBlank(loc) {
			continue
		}
		given++
		l, err := locate(loc, g)
		if err != nil {
			if outside := (*outsideGB)(nil); errors.As(err, &outside) {
				return nil, reject("location", err.Error())
			}
			if firstProblem == nil {
				firstProblem = err
			}
			continue
		}
		if !slices.Contains(found, l) {
			found = append(found, l)
		}
	}
	if given == 0 {
		if strings.TrimSpace(defaultPlace) == "" {
			return nil, reject("location", "missing location, and the feed has no default location")
		}
		l, err := locate(formats.Location{Text: defaultPlace}, g)
		if err != nil {
			return nil, reject("location", fmt.Sprintf("unknown location %q (the feed's default location)", defaultPlace))
		}
		return []vacancies.Location{l}, nil
	}
	if len(found) == 0 && firstProblem != nil {
		return nil, reject("location", firstProblem.Error())
	}
	return found, nil
}

type outsideGB struct {
	name     string
	lat, lon float64
	country  string
}

func (e *outsideGB) Error() string {
	if e.country != "" {
		return fmt.Sprintf("location %q is in %q, outside Great Britain", e.name, truncateAtWord(e.country, 40))
	}
	return fmt.Sprintf("location %q at %g, %g is outside Great Britain", e.name, e.lat, e.lon)
}

func isBlank(l formats.Location) bool {
	return strings.TrimSpace(l.Text+l.Town+l.Region+l.Postcode+l.Lat+l.Lon) == ""
}

// inGreatBritain reports whether a feed's country is ours or unsaid.
// Northern Ireland is in the UK but not in the gazetteer or the portal's area.
func inGreatBritain(country string) bool {
	switch strings.TrimSpace(words(country)) {
	case "", "gb", "gbr", "uk", "united kingdom", "great britain", "britain", "england", "scotland", "wales", "cymru":
		return true
	}
	return false
}

// locate resolves one location, or says why it cannot.
func locate(loc formats.Location, g *geo.Gazetteer) (vacancies.Location, error) {
	name := placeName(loc, g)
	if !inGreatBritain(loc.Country) {
		return vacancies.Location{}, &outsideGB{name: nameOrCoordinates(describe(loc), loc), country: collapseSpace(loc.Country)}
	}
	postcode := normalisePostcode(loc.Postcode)
	if lat, lon, ok := coordinates(loc.Lat, loc.Lon); ok {
		if lat < minLat || lat > maxLat || lon < minLon || lon > maxLon {
			return vacancies.Location{}, &outsideGB{name: nameOrCoordinates(name, loc), lat: lat, lon: lon}
		}
		if name == "" {
			name = postcode
		}
		if len(name) >= 2 {
			return vacancies.Location{Name: name, Postcode: postcode, Lat: lat, Lon: lon}, nil
		}
	}
	if postcode != "" {
		if place, err := g.Lookup(postcode); err == nil {
			if name == "" {
				name = place.Name
			}
			return vacancies.Location{Name: name, Postcode: postcode, Lat: place.Lat, Lon: place.Lon}, nil
		}
	}
	for _, query := range placeQueries(loc) {
		place, err := g.Lookup(query)
		if err != nil {
			continue
		}
		if byName := place.Kind != geo.KindPostcode && place.Kind != geo.KindDistrict; byName || name == "" {
			name = place.Name
		}
		if postcode == "" && postcodeShape.MatchString(place.Postcode) {
			postcode = place.Postcode
		}
		return vacancies.Location{Name: truncateAtWord(name, maxPlaceName), Postcode: postcode, Lat: place.Lat, Lon: place.Lon}, nil
	}
	return vacancies.Location{}, fmt.Errorf("unknown location %q", nameOrCoordinates(describe(loc), loc))
}

// nameOrCoordinates is name, or the coordinates when the location has no name.
func nameOrCoordinates(name string, loc formats.Location) string {
	if name != "" {
		return name
	}
	return strings.TrimSpace(loc.Lat + ", " + loc.Lon)
}

// describe is the location as the feed wrote it, for messages.
func describe(loc formats.Location) string {
	var parts []string
	for _, p := range []string{loc.Text, loc.Town, loc.Region, loc.Postcode} {
		if p = collapseSpace(p); p != "" && !strings.Contains(strings.Join(parts, ", "), p) {
			parts = append(parts, p)
		}
	}
	return truncateAtWord(strings.Join(parts, ", "), maxPlaceName)
}

// placeQueries are what to ask the gazetteer, most specific first: the
// town with its county ("St Ives, Cornwall"), the town with the text after
// it ("Sutton, Ely"), the town, the text ("Ely, Cambridgeshire") with the
// county after it, the text, and the text's first part.
func placeQueries(loc formats.Location) []string {
	town, text, region := collapseSpace(loc.Town), collapseSpace(loc.Text), collapseSpace(loc.Region)
	var queries []string
	add := func(q string) {
		if q != "" && !strings.HasPrefix(q, ",") && len(q) <= 200 && !slices.Contains(queries, q) {
			queries = append(queries, q)
		}
	}
	if town != "" && region != "" {
		add(town + ", " + region)
	}
	if town != "" && text != "" {
		add(town + ", " + text)
	}
	add(town)
	if text != "" && region != "" {
		add(text + ", " + region)
	}
	add(text)
	if first, _, ok := strings.Cut(text, ","); ok {
		add(strings.TrimSpace(first))
	}
	return queries
}

// placeName is the name to show for a location the feed named: its town,
// else the first part of its text that is not a postcode. A name the
// gazetteer knows takes the gazetteer's spelling ("KINGS LYNN" → "King's
// Lynn"); others are title-cased when all capitals.
func placeName(loc formats.Location, g *geo.Gazetteer) string {
	name := collapseSpace(loc.Town)
	if name == "" {
		for part := range strings.SplitSeq(loc.Text, ",") {
			if part = collapseSpace(part); part != "" && normalisePostcode(part) == "" {
				name = part
				break
			}
		}
	}
	if name == "" {
		return ""
	}
	if place, err := g.Lookup(name); err == nil && place.Kind != geo.KindPostcode && place.Kind != geo.KindDistrict &&
		words(place.Name) == words(name) {
		return place.Name
	}
	return truncateAtWord(titleCase(name), maxPlaceName)
}

// coordinates parses a latitude and longitude as feeds send them, "-.262406"
// included; false when either is missing or unreadable, or both are 0 (a
// feed's way of saying none).
func coordinates(latText, lonText string) (lat, lon float64, ok bool) {
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(latText), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(lonText), 64)
	if err1 != nil || err2 != nil || math.IsNaN(lat) || math.IsNaN(lon) || math.IsInf(lat, 0) || math.IsInf(lon, 0) ||
		(lat == 0 && lon == 0) {
		return 0, 0, false
	}
	return lat, lon, true
}

// normalisePostcode upper-cases a full postcode or outward code and spaces
// it as Royal Mail does ("cb20qq" → "CB2 0QQ"); "" when it is neither.
func normalisePostcode(s string) string {
	compact := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if m := fullPostcode.FindStringSubmatch(compact); m != nil {
		return m[1] + " " + m[2]
	}
	if postcodeShape.MatchString(compact) {
		return compact
	}
	return ""
}
