package geo

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// normaliseName reduces a place name to the form both queries and data are indexed by, so that
// "King's Lynn", "kings-lynn" and "KINGS  LYNN" meet, as do "St Ives", "St. Ives" and "Saint Ives".
func normaliseName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case strings.ContainsRune("'’‘`´", r):
			// Dropped rather than spaced: people type "Kings Lynn" far more often than "King s Lynn".
		case r == '&':
			b.WriteString(" and ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(foldAccent(r))
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	for i, word := range words {
		if word == "saint" {
			words[i] = "st"
		}
	}
	return strings.Join(words, " ")
}

// accentFolds covers the accented letters in GB place names (mostly Gaelic and Welsh), so a
// jobseeker typing "Crianlarich" or "Cwm-felin-fach" on an English keyboard still matches.
var accentFolds = map[rune]string{
	'a': "àáâãäå", 'c': "ç", 'e': "èéêë", 'i': "ìíîï", 'n': "ñ",
	'o': "òóôõöø", 'u': "ùúûü", 'w': "ŵ", 'y': "ýÿŷ",
}

func foldAccent(r rune) rune {
	if r <= unicode.MaxASCII {
		return r
	}
	for plain, accented := range accentFolds {
		if strings.ContainsRune(accented, r) {
			return plain
		}
	}
	return r
}

// countyShortNames are the abbreviations people write after a place name ("St Ives, Cambs").
var countyShortNames = map[string]string{
	"cambs": "cambridgeshire", "northants": "northamptonshire", "herts": "hertfordshire",
	"lincs": "lincolnshire", "notts": "nottinghamshire", "leics": "leicestershire",
	"bucks": "buckinghamshire", "hants": "hampshire", "oxon": "oxfordshire",
	"glos": "gloucestershire", "wilts": "wiltshire", "worcs": "worcestershire",
	"lancs": "lancashire", "staffs": "staffordshire", "warks": "warwickshire",
	"london": "greater london",
}

// areaQuery normalises what someone wrote after the comma ("Cornwall", "Cambs", "pe27").
func areaQuery(area string) string {
	key := normaliseName(area)
	if full, ok := countyShortNames[key]; ok {
		return full
	}
	return key
}

// areaKeysFor lists the ways a county or district name may be written: OS gives Welsh areas in
// both languages ("Caerdydd - Cardiff") and some unitaries with a prefix ("City of Peterborough").
func areaKeysFor(area string) []string {
	var keys []string
	for part := range strings.SplitSeq(area, " - ") {
		key := normaliseName(part)
		if key == "" {
			continue
		}
		keys = append(keys, key)
		for _, prefix := range []string{"the city of ", "city of ", "county of ", "the "} {
			if short, ok := strings.CutPrefix(key, prefix); ok {
				keys = append(keys, short)
				break
			}
		}
		if short, ok := strings.CutSuffix(key, " city"); ok { // "Aberdeen City", "Glasgow City"
			keys = append(keys, short)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

var (
	outwardCode = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]?$`)
	inwardCode  = regexp.MustCompile(`^[0-9][A-Z]{2}$`)
	sectorCode  = regexp.MustCompile(`^[0-9][A-Z]?$`) // the start of an inward code: "PE13 1", "PE13 1A"
)

// compactPostcode upper-cases a postcode and removes all spacing: " cb2 0qq " → "CB20QQ".
func compactPostcode(code string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, code)
}

// postcode resolves a full postcode, an outward code or a postcode sector to its district centroid.
// It reports false for anything else, including well-formed postcodes in districts we do not hold
// (Northern Ireland, Channel Islands, Isle of Man).
func (g *Gazetteer) postcode(text string) (Place, bool) {
	compact := compactPostcode(text)
	if outwardCode.MatchString(compact) {
		return g.Outcode(compact)
	}
	if len(compact) >= 5 {
		outward, inward := compact[:len(compact)-3], compact[len(compact)-3:]
		if outwardCode.MatchString(outward) && inwardCode.MatchString(inward) {
			place, ok := g.Outcode(outward)
			place.Kind = KindPostcode
			place.Name = outward + " " + inward
			return place, ok
		}
	}
	if fields := strings.Fields(strings.ToUpper(text)); len(fields) == 2 &&
		outwardCode.MatchString(fields[0]) && sectorCode.MatchString(fields[1]) {
		return g.Outcode(fields[0])
	}
	return Place{}, false
}

// compareCandidates orders places sharing a name: the region first, then the larger settlement,
// then fixed fields so the answer never depends on file or map order.
func compareCandidates(a, b Place) int {
	aRank, aInRegion := regionRank(a.County)
	bRank, bInRegion := regionRank(b.County)
	return cmp.Or(
		compareBool(aInRegion, bInRegion),
		cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]),
		cmp.Compare(aRank, bRank),
		compareByName(a, b),
	)
}

func regionRank(county string) (rank int, inRegion bool) {
	rank = slices.Index(regionCounties, county)
	return rank, rank >= 0
}

// compareBool puts true before false.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	default:
		return 1
	}
}

// compareByName is the fixed order Places returns, and the last tiebreak between candidates.
func compareByName(a, b Place) int {
	return cmp.Or(
		strings.Compare(a.Name, b.Name),
		strings.Compare(a.County, b.County),
		strings.Compare(a.District, b.District),
		cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]),
		cmp.Compare(a.Lat, b.Lat),
		cmp.Compare(a.Lon, b.Lon),
	)
}
