package geo

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// wantPlace names the fields a lookup must get right; empty fields are not checked.
type wantPlace struct {
	Name, Kind, County, District, Postcode string
}

func checkPlace(t *testing.T, query string, got Place, want wantPlace) {
	t.Helper()
	for _, field := range []struct{ name, got, want string }{
		{"Name", got.Name, want.Name},
		{"Kind", got.Kind, want.Kind},
		{"County", got.County, want.County},
		{"District", got.District, want.District},
		{"Postcode", got.Postcode, want.Postcode},
	} {
		if field.want != "" && field.got != field.want {
			t.Errorf("Lookup(%q).%s = %q, want %q (got %+v)", query, field.name, field.got, field.want, got)
		}
	}
	if got.Lat < 49.8 || got.Lat > 60.9 || got.Lon < -8.7 || got.Lon > 1.8 {
		t.Errorf("Lookup(%q) = %v,%v, outside Great Britain", query, got.Lat, got.Lon)
	}
}

func lookupAll(t *testing.T, tests map[string]wantPlace) {
	t.Helper()
	for query, want := range tests {
		t.Run(query, func(t *testing.T) {
			got, err := Default().Lookup(query)
			if err != nil {
				t.Fatalf("Lookup(%q): %v", query, err)
			}
			checkPlace(t, query, got, want)
		})
	}
}

func TestLookup_FindsTheRegionsTownsAndCities(t *testing.T) {
	lookupAll(t, map[string]wantPlace{
		"Cambridge":    {Name: "Cambridge", Kind: KindCity, County: "Cambridgeshire", District: "Cambridge"},
		"Ely":          {Name: "Ely", Kind: KindCity, County: "Cambridgeshire", District: "East Cambridgeshire"},
		"Ramsey":       {Name: "Ramsey", Kind: KindTown, County: "Cambridgeshire", District: "Huntingdonshire"},
		"March":        {Name: "March", Kind: KindTown, County: "Cambridgeshire", District: "Fenland", Postcode: "PE15"},
		"Wisbech":      {Name: "Wisbech", Kind: KindTown, County: "Cambridgeshire", District: "Fenland", Postcode: "PE13"},
		"Huntingdon":   {Name: "Huntingdon", Kind: KindTown, County: "Cambridgeshire", District: "Huntingdonshire"},
		"Chatteris":    {Name: "Chatteris", Kind: KindTown, County: "Cambridgeshire", District: "Fenland"},
		"Whittlesey":   {Name: "Whittlesey", Kind: KindTown, County: "Cambridgeshire", District: "Fenland"},
		"Peterborough": {Name: "Peterborough", Kind: KindCity, County: "City of Peterborough", District: "City of Peterborough"},
		"Northstowe":   {Name: "Northstowe", Kind: KindOther, County: "Cambridgeshire"},
	})
}

func TestLookup_PrefersCambridgeshireStIves(t *testing.T) {
	cambridgeshire := wantPlace{Name: "St Ives", Kind: KindTown, County: "Cambridgeshire", District: "Huntingdonshire", Postcode: "PE27"}
	lookupAll(t, map[string]wantPlace{
		"St Ives":        cambridgeshire,
		"st. ives":       cambridgeshire,
		"Saint Ives":     cambridgeshire,
		"  ST   IVES  ":  cambridgeshire,
		"St Ives, Cambs": cambridgeshire,
	})
}

func TestLookup_PrefersTheRegionsVillageOverTownsElsewhere(t *testing.T) {
	lookupAll(t, map[string]wantPlace{
		// Sutton is a village in 20-odd counties, two of them ours: the Cambridgeshire one wins the tie.
		"Sutton": {Kind: KindVillage, County: "Cambridgeshire", District: "East Cambridgeshire", Postcode: "CB6"},
		"Linton": {Kind: KindVillage, County: "Cambridgeshire", District: "South Cambridgeshire", Postcode: "CB21"},
		// Eye in Suffolk is a town, but a jobseeker here means the village outside Peterborough.
		"Eye": {Kind: KindVillage, County: "City of Peterborough", Postcode: "PE6"},
	})
}

func TestLookup_CountySuffixPicksAnotherCounty(t *testing.T) {
	lookupAll(t, map[string]wantPlace{
		"St Ives, Cornwall":            {Name: "St Ives", Kind: KindTown, County: "Cornwall", Postcode: "TR26"},
		"st ives,cornwall":             {Name: "St Ives", County: "Cornwall"},
		"Sutton, Peterborough":         {Name: "Sutton", County: "City of Peterborough", Postcode: "PE5"},
		"Ramsey, Essex":                {Name: "Ramsey", County: "Essex"},
		"Cambridge, Leeds":             {Name: "Cambridge", Kind: KindSuburb, County: "Leeds"},
		"Ely, Cardiff":                 {Name: "Ely", Kind: KindSuburb, County: "Caerdydd - Cardiff"},
		"Sutton, Greater London":       {Name: "Sutton", County: "Greater London"},
		"Sutton, East Sussex":          {Name: "Sutton", County: "East Sussex"},
		"Sutton, SG19":                 {Name: "Sutton", County: "Central Bedfordshire"},
		"Cambridge, UK":                {Name: "Cambridge", Kind: KindCity, County: "Cambridgeshire"},
		"Ely, Cambridgeshire, England": {Name: "Ely", Kind: KindCity, County: "Cambridgeshire"},
	})
}

func TestLookup_NearbyTownSuffixPicksTheNamesakeNearIt(t *testing.T) {
	lookupAll(t, map[string]wantPlace{
		"Sutton, Ely":          {Name: "Sutton", County: "Cambridgeshire", Postcode: "CB6"},
		"Linton, Cambridge":    {Name: "Linton", County: "Cambridgeshire", Postcode: "CB21"},
		"Sutton, Norwich":      {Name: "Sutton", County: "Norfolk"},
		"High Street, Wisbech": {Name: "Wisbech", County: "Cambridgeshire"},
		"Nowhere, Wisbech":     {Name: "Wisbech", County: "Cambridgeshire"},
	})
}

func TestLookup_ToleratesApostrophesHyphensAndAccents(t *testing.T) {
	kingsLynn := wantPlace{Name: "King's Lynn", Kind: KindTown, County: "Norfolk", Postcode: "PE30"}
	lookupAll(t, map[string]wantPlace{
		"kings lynn":       kingsLynn,
		"KINGS-LYNN":       kingsLynn,
		"King’s Lynn":      kingsLynn,
		"Stoke on Trent":   {Name: "Stoke-on-Trent", Kind: KindCity},
		"Westward Ho":      {Name: "Westward Ho!", County: "Devon"},
		"A Chrion Laraich": {Name: "A' Chrìon Làraich", County: "Stirling"},
	})
}

func TestLookup_FindsPlacesAnywhereInGreatBritain(t *testing.T) {
	lookupAll(t, map[string]wantPlace{
		"Leeds": {Name: "Leeds", Kind: KindCity, County: "Leeds", Postcode: "LS1"},
		// Matched on the alternative name, and shown as typed rather than as "Abertawe".
		"Swansea":     {Name: "Swansea", Kind: KindCity, County: "Abertawe - Swansea"},
		"Crianlarich": {Name: "Crianlarich", County: "Stirling"},
	})
}

func TestLookup_FullPostcodeUsesItsOutwardCodesCentroid(t *testing.T) {
	tests := map[string]wantPlace{
		"CB2 0QQ":           {Name: "CB2 0QQ", Kind: KindPostcode, Postcode: "CB2", County: "Cambridgeshire"},
		"cb20qq":            {Name: "CB2 0QQ", Kind: KindPostcode, Postcode: "CB2"},
		" cb2  0qq ":        {Name: "CB2 0QQ", Kind: KindPostcode, Postcode: "CB2"},
		"PE13 1AB":          {Name: "PE13 1AB", Kind: KindPostcode, Postcode: "PE13", County: "Cambridgeshire", District: "Fenland"},
		"PE1 1AA":           {Name: "PE1 1AA", Kind: KindPostcode, Postcode: "PE1", County: "City of Peterborough"},
		"Wisbech, PE13 1AB": {Name: "PE13 1AB", Kind: KindPostcode, Postcode: "PE13"},
	}
	lookupAll(t, tests)
	for query, want := range tests {
		got, _ := Default().Lookup(query)
		district, ok := Default().Outcode(want.Postcode)
		if !ok || got.Lat != district.Lat || got.Lon != district.Lon {
			t.Errorf("Lookup(%q) at %v,%v, want %s's centroid %v,%v", query, got.Lat, got.Lon, want.Postcode, district.Lat, district.Lon)
		}
	}
}

func TestLookup_OutwardCodeOrSectorIsAPostcodeDistrict(t *testing.T) {
	lookupAll(t, map[string]wantPlace{
		"pe13":   {Name: "PE13", Kind: KindDistrict, Postcode: "PE13", County: "Cambridgeshire", District: "Fenland"},
		"CB1":    {Name: "CB1", Kind: KindDistrict, Postcode: "CB1", County: "Cambridgeshire"},
		"PE13 1": {Name: "PE13", Kind: KindDistrict},
		// EC1A has no named place of its own, so it borrows its neighbour's area.
		"EC1A": {Name: "EC1A", Kind: KindDistrict, County: "Greater London"},
	})
}

func TestLookup_UnknownPlaceIsErrUnknownPlace(t *testing.T) {
	for _, query := range []string{
		"Atlantis",
		"Atlantis, Cambridgeshire",
		"BT1 1AA", // Northern Ireland postcodes are not in the open data
		"ZZ99 9ZZ",
		"Cambridgeshire", // a county is not a place
		strings.Repeat("Cambridge ", 50),
	} {
		_, err := Default().Lookup(query)
		if !errors.Is(err, ErrUnknownPlace) {
			t.Errorf("Lookup(%q) error = %v, want ErrUnknownPlace", query, err)
		}
	}
}

func TestLookup_EmptyQueryIsAnError(t *testing.T) {
	for _, query := range []string{"", "   ", "\t\n", ",", " , , "} {
		_, err := Default().Lookup(query)
		if !errors.Is(err, ErrEmptyQuery) || !errors.Is(err, ErrUnknownPlace) {
			t.Errorf("Lookup(%q) error = %v, want ErrEmptyQuery wrapping ErrUnknownPlace", query, err)
		}
	}
}

// placeRow builds one line of places.csv for tests of the ranking rules.
type placeRow struct {
	name, osType, county string
}

func gazetteerOf(t *testing.T, rows ...placeRow) *Gazetteer {
	t.Helper()
	var csv strings.Builder
	csv.WriteString(strings.Join(placesHeader, ",") + "\n")
	for i, row := range rows {
		fmt.Fprintf(&csv, "%s,,%s,%s,,AB1,52.%d,0.1\n", row.name, row.osType, row.county, i)
	}
	g, err := load(strings.NewReader(csv.String()), strings.NewReader("outcode,latitude,longitude\nAB1,52.5,0.1\n"))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestLookup_RanksRegionThenSettlementSizeThenCountyName(t *testing.T) {
	tests := []struct {
		name       string
		rows       []placeRow
		wantCounty string
	}{
		{
			name: "region hamlet beats city elsewhere",
			rows: []placeRow{
				{"Newtown", "City", "Kent"},
				{"Newtown", "Hamlet", "Cambridgeshire"},
			},
			wantCounty: "Cambridgeshire",
		},
		{
			name: "larger settlement wins within the region",
			rows: []placeRow{
				{"Newtown", "Hamlet", "Cambridgeshire"},
				{"Newtown", "Village", "City of Peterborough"},
			},
			wantCounty: "City of Peterborough",
		},
		{
			name: "Cambridgeshire wins a tie with Peterborough",
			rows: []placeRow{
				{"Newtown", "Village", "City of Peterborough"},
				{"Newtown", "Village", "Cambridgeshire"},
			},
			wantCounty: "Cambridgeshire",
		},
		{
			name: "outside the region the town beats the village",
			rows: []placeRow{
				{"Newtown", "Village", "Essex"},
				{"Newtown", "Town", "Powys - Powys"},
			},
			wantCounty: "Powys - Powys",
		},
		{
			name: "equal settlements fall back to county name, not file order",
			rows: []placeRow{
				{"Newtown", "Village", "Suffolk"},
				{"Newtown", "Village", "Essex"},
			},
			wantCounty: "Essex",
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got, err := gazetteerOf(t, test.rows...).Lookup("newtown")
			if err != nil {
				t.Fatal(err)
			}
			if got.County != test.wantCounty {
				t.Errorf("Lookup(newtown).County = %q, want %q", got.County, test.wantCounty)
			}
		})
	}
}

func TestPlaces_ListsTheRegionSortedByName(t *testing.T) {
	places := Default().Places("Cambridgeshire", "City of Peterborough")
	if len(places) < 400 {
		t.Fatalf("Places(region) = %d places, want the region's several hundred", len(places))
	}
	if !slices.IsSortedFunc(places, compareByName) {
		t.Error("Places(region) is not sorted by name")
	}
	var names []string
	for _, place := range places {
		if place.County != "Cambridgeshire" && place.County != "City of Peterborough" {
			t.Errorf("Places(region) includes %s in %s", place.Name, place.County)
		}
		names = append(names, place.Name)
	}
	for _, want := range []string{"Cambridge", "Peterborough", "Wisbech", "Ely", "Sutton"} {
		if !slices.Contains(names, want) {
			t.Errorf("Places(region) has no %s", want)
		}
	}
	if again := Default().Places("cambridgeshire", "Peterborough"); !slices.Equal(places, again) {
		t.Error(`Places("cambridgeshire", "Peterborough") differs from Places("Cambridgeshire", "City of Peterborough")`)
	}
}

func TestPlaces_ReturnsTheCallersOwnCopy(t *testing.T) {
	first := Default().Places("Cambridgeshire")
	first[0].Name = "changed"
	if second := Default().Places("Cambridgeshire"); second[0].Name == "changed" {
		t.Error("changing one Places result changed the next")
	}
	if all := Default().Places(); len(all) < 40_000 {
		t.Errorf("Places() = %d places, want all of Great Britain", len(all))
	}
	if none := Default().Places("Atlantis"); len(none) != 0 {
		t.Errorf("Places(Atlantis) = %d places, want none", len(none))
	}
}

func TestOutcode_FindsDistrictCentroidInAnySpelling(t *testing.T) {
	for _, code := range []string{"PE13", "pe13", " pe 13 "} {
		got, ok := Default().Outcode(code)
		if !ok || got.Name != "PE13" || got.Kind != KindDistrict || math.Abs(got.Lat-52.67) > 0.01 {
			t.Errorf("Outcode(%q) = %+v, %v; want PE13 near Wisbech", code, got, ok)
		}
	}
	if got, ok := Default().Outcode("ZZ9"); ok {
		t.Errorf("Outcode(ZZ9) = %+v, want not found", got)
	}
}

func TestDistanceMiles_CambridgeToPeterboroughIsAbout30Miles(t *testing.T) {
	cambridge, _ := Default().Lookup("Cambridge")
	peterborough, _ := Default().Lookup("Peterborough")
	// About 29.6 miles as the crow flies between the two OS city points (48 km).
	if got := DistanceMiles(cambridge.Lat, cambridge.Lon, peterborough.Lat, peterborough.Lon); got < 28 || got > 32 {
		t.Errorf("Cambridge to Peterborough = %.1f miles, want about 30", got)
	}
}

func TestDistanceMiles_MatchesKnownDistances(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"same point", 52.2, 0.12, 52.2, 0.12, 0},
		{"one degree of latitude", 52, 0, 53, 0, 69.09},
		{"quarter of the equator", 0, 0, 0, 90, 6218.41},
		{"antipodes", 0, 0, 0, 180, 12436.82},
	}
	for _, test := range tests {
		got := DistanceMiles(test.lat1, test.lon1, test.lat2, test.lon2)
		if math.Abs(got-test.want) > 0.1 {
			t.Errorf("%s: DistanceMiles = %.2f, want %.2f", test.name, got, test.want)
		}
		if back := DistanceMiles(test.lat2, test.lon2, test.lat1, test.lon1); math.Abs(back-got) > 1e-9 {
			t.Errorf("%s: distance is %.4f one way and %.4f back", test.name, got, back)
		}
	}
}

func TestAttribution_MatchesTheStatementInSources(t *testing.T) {
	sources, err := os.ReadFile("data/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	var quoted []string
	for line := range strings.Lines(string(sources)) {
		if text, ok := strings.CutPrefix(strings.TrimSpace(line), "> "); ok {
			quoted = append(quoted, text)
		}
	}
	if got, want := strings.ReplaceAll(Attribution, "\n", " "), strings.Join(quoted, " "); got != want {
		t.Errorf("Attribution reads\n%s\nbut data/SOURCES.md says\n%s", got, want)
	}
}

func TestData_OutcodesAreTheFileSourcesDescribes(t *testing.T) {
	sources, err := os.ReadFile("data/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(outcodesCSV)
	if want := hex.EncodeToString(sum[:]) + "  outcodes.csv"; !strings.Contains(string(sources), want) {
		t.Errorf("data/SOURCES.md does not record %q; re-run go generate", want)
	}
}

func FuzzLookup(f *testing.F) {
	for _, seed := range []string{
		"Cambridge", "St Ives, Cornwall", "CB2 0QQ", "cb20qq", "PE13", "PE13 1", "King's Lynn", "",
		",", "Saint-Ives,,", "A' Chrìon Làraich", "\xff\xfe", "SW1A1AA", "ſw1a 1aa", "Sutton, SG19",
	} {
		f.Add(seed)
	}
	g := Default()
	f.Fuzz(func(t *testing.T, query string) {
		place, err := g.Lookup(query)
		if err != nil {
			if !errors.Is(err, ErrUnknownPlace) {
				t.Fatalf("Lookup(%q) error %v does not wrap ErrUnknownPlace", query, err)
			}
			return
		}
		if place.Name == "" {
			t.Errorf("Lookup(%q) found a place with no name: %+v", query, place)
		}
		if _, ok := kindRank[place.Kind]; !ok && place.Kind != KindPostcode && place.Kind != KindDistrict {
			t.Errorf("Lookup(%q).Kind = %q, not a known kind", query, place.Kind)
		}
	})
}
