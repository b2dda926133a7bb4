// Package geo owns the offline gazetteer: it turns what a jobseeker types into a location box
// (a place name, a full postcode or an outward code) into coordinates, and measures distances.
//
// It reads only the data embedded from data/ (OS Open Names places and ONS postcode district
// centroids, both under the Open Government Licence; see Attribution). It must not call the network,
// a database or Meilisearch, must not hold per-request state, and must not panic on any input:
// Lookup is fuzzed. A Gazetteer is read-only once built and safe for concurrent use.
package geo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

//go:generate go run ./internal/gen -src ../../../shared/data/geo -out data

// Kinds of Place, from most to least precise for postcodes and largest to smallest for settlements.
const (
	KindPostcode = "postcode" // a full postcode, located at its outward code's centroid
	KindDistrict = "district" // a postcode district (outward code), e.g. PE13
	KindCity     = "city"
	KindTown     = "town"
	KindVillage  = "village"
	KindSuburb   = "suburb" // OS "Suburban Area"
	KindHamlet   = "hamlet"
	KindOther    = "settlement" // OS "Other Settlement": farmsteads, new towns such as Northstowe
)

// Place is a located answer to a query.
type Place struct {
	Name     string // display name, e.g. "Wisbech" or "PE13" or "CB2 0QQ"
	Kind     string // one of the Kind constants
	County   string // OS county or unitary authority, e.g. "Cambridgeshire", "City of Peterborough"
	District string // local authority district where known, e.g. "Fenland"
	Postcode string // postcode district (outcode), e.g. "PE13"
	Lat, Lon float64
}

var (
	// ErrUnknownPlace means nothing in the gazetteer matches the query.
	ErrUnknownPlace = errors.New("place not recognised")
	// ErrEmptyQuery means there was nothing to look up. It wraps ErrUnknownPlace so callers that
	// only check ErrUnknownPlace still treat a blank box as a user error rather than a failure.
	ErrEmptyQuery = fmt.Errorf("no place given: %w", ErrUnknownPlace)
)

// regionCounties are the portal's own counties, in the order that breaks ties between them.
// OS names Peterborough's unitary authority "City of Peterborough", not "Peterborough".
var regionCounties = []string{"Cambridgeshire", "City of Peterborough"}

// kindRank orders settlements largest first so a name shared by a town and a hamlet finds the town.
var kindRank = map[string]int{
	KindCity: 0, KindTown: 1, KindVillage: 2, KindSuburb: 3, KindHamlet: 4, KindOther: 5,
}

// maxQueryLength bounds the work a single lookup can cause; no real place or postcode is longer.
const maxQueryLength = 200

// Gazetteer answers lookups from an in-memory copy of the embedded data.
type Gazetteer struct {
	places   []Place                // every populated place, in data file order
	byName   map[string][]nameMatch // normalised name or alt name → candidates, best first
	outcodes map[string]Place       // "PE13" → its centroid
	areaKeys map[string][]string    // county or district → the normalised ways people write it
}

// nameMatch is a candidate for a normalised name; name is the spelling that matched, so someone
// who types "Swansea" sees "Swansea" rather than the primary Welsh name "Abertawe".
type nameMatch struct {
	place int
	name  string
}

var loadDefault = sync.OnceValue(func() *Gazetteer {
	g, err := loadEmbedded()
	if err != nil {
		// The data is compiled in and covered by tests, so this is a build defect, not a runtime condition.
		panic(fmt.Sprintf("geo: load embedded gazetteer: %v", err))
	}
	return g
})

// Default returns the gazetteer built from the embedded data, parsing it on first use.
func Default() *Gazetteer {
	return loadDefault()
}

// Lookup finds the place a jobseeker means. It accepts, ignoring case and spacing:
//   - a full postcode ("CB2 0QQ", "cb20qq"), located at its outward code's centroid;
//   - an outward code ("PE13") or a postcode sector ("PE13 1");
//   - a place name or alternative name ("kings lynn", "St. Ives", "Swansea"), preferring the
//     region's counties, then the larger settlement;
//   - a place name followed by ", County" (or district, or outward code) to pick another one:
//     "St Ives, Cornwall"; or by a nearby town: "Sutton, Ely". A suffix that matches nothing is
//     ignored ("Ely, UK"), and in "High Street, Wisbech" the street gives way to the town.
//
// It returns an error wrapping ErrUnknownPlace when nothing matches, and ErrEmptyQuery for blank input.
func (g *Gazetteer) Lookup(query string) (Place, error) {
	query = strings.TrimSpace(query)
	if len(query) > maxQueryLength {
		return Place{}, fmt.Errorf("%w: query longer than %d characters", ErrUnknownPlace, maxQueryLength)
	}
	parts := splitQuery(query)
	if len(parts) == 0 {
		return Place{}, ErrEmptyQuery
	}

	// A full postcode anywhere in the query is more precise than any name beside it.
	for _, part := range parts {
		if place, ok := g.postcode(part); ok && place.Kind == KindPostcode {
			return place, nil
		}
	}
	if place, ok := g.placeNamed(parts); ok {
		return place, nil
	}
	for _, part := range parts {
		if place, ok := g.postcode(part); ok {
			return place, nil
		}
	}
	return Place{}, fmt.Errorf("%w: %q", ErrUnknownPlace, query)
}

// nearbyMiles is how far a place may be from the town named after it ("Sutton, Ely") and still be
// the one meant; generous enough for a village and its market town.
const nearbyMiles = 15

// placeNamed finds the first part that names a place, using the parts after it to choose between
// places of that name: an area ("St Ives, Cornwall"), else a nearby place ("Sutton, Ely"). When a
// later place has no namesake nearby it wins, because the earlier part was probably a street
// ("High Street, Wisbech").
func (g *Gazetteer) placeNamed(parts []string) (Place, bool) {
	for i, part := range parts {
		candidates := g.byName[normaliseName(part)]
		if len(candidates) == 0 {
			continue
		}
		rest := parts[i+1:]
		if place, ok := g.inArea(candidates, rest); ok {
			return place, true
		}
		if near, ok := g.placeNamed(rest); ok {
			if place, ok := g.nearest(candidates, near); ok {
				return place, true
			}
			return near, true
		}
		return g.named(candidates[0]), true
	}
	return Place{}, false
}

// splitQuery splits "St Ives, Cornwall" into its comma-separated parts, dropping blank ones.
func splitQuery(query string) []string {
	var parts []string
	for part := range strings.SplitSeq(query, ",") {
		if part = strings.TrimSpace(part); part != "" {
			parts = append(parts, part)
		}
	}
	return parts
}

// inArea returns the best candidate in the first of the areas (county, district or outward code)
// that holds any of them.
func (g *Gazetteer) inArea(candidates []nameMatch, areas []string) (Place, bool) {
	for _, area := range areas {
		want := areaQuery(area)
		for _, candidate := range candidates {
			if g.placeMatchesArea(g.places[candidate.place], want) {
				return g.named(candidate), true
			}
		}
	}
	return Place{}, false
}

// nearest returns the candidate closest to near, if any lies within nearbyMiles.
func (g *Gazetteer) nearest(candidates []nameMatch, near Place) (Place, bool) {
	best, bestMiles := -1, float64(nearbyMiles)
	for i, candidate := range candidates {
		place := g.places[candidate.place]
		if miles := DistanceMiles(place.Lat, place.Lon, near.Lat, near.Lon); miles < bestMiles {
			best, bestMiles = i, miles
		}
	}
	if best < 0 {
		return Place{}, false
	}
	return g.named(candidates[best]), true
}

func (g *Gazetteer) named(match nameMatch) Place {
	place := g.places[match.place]
	place.Name = match.name
	return place
}

func (g *Gazetteer) placeMatchesArea(place Place, want string) bool {
	return want == strings.ToLower(place.Postcode) ||
		slices.Contains(g.areaKeys[place.County], want) ||
		slices.Contains(g.areaKeys[place.District], want)
}

// Places returns the populated places in the given counties (every place when none are given),
// sorted by name. Counties match as Lookup's suffixes do, so "Peterborough" finds
// "City of Peterborough". The slice is the caller's to keep or change.
func (g *Gazetteer) Places(county ...string) []Place {
	wanted := make([]string, 0, len(county))
	for _, name := range county {
		wanted = append(wanted, areaQuery(name))
	}
	var places []Place
	for _, place := range g.places {
		if len(wanted) == 0 || slices.ContainsFunc(g.areaKeys[place.County], func(key string) bool {
			return slices.Contains(wanted, key)
		}) {
			places = append(places, place)
		}
	}
	slices.SortStableFunc(places, compareByName)
	return places
}

// Outcode returns the centroid of a postcode district such as "PE13" (any case or spacing).
func (g *Gazetteer) Outcode(code string) (Place, bool) {
	place, ok := g.outcodes[compactPostcode(code)]
	return place, ok
}
