package formats

import (
	"context"
	"io"
)

// NHSJobs reads NHS Jobs-style XML:
//
//	<nhsJobs>
//	  <vacancyDetails>
//	    <id>C9288-25-0123</id>
//	    <reference>288-ACS-1234</reference>
//	    <title>Staff Nurse</title>
//	    <employer>North Fens NHS Foundation Trust</employer>
//	    <description><![CDATA[<p>...</p>]]></description>
//	    <locations>
//	      <location>Ely, CB6 1DN</location>
//	      <location><town>MARCH</town><postcode>PE15 8AA</postcode></location>
//	      <location>Doddington Hospital<postcode>PE15 0UG</postcode></location>
//	    </locations>
//	    <salary>£28,407 - £34,581 per annum</salary>
//	    <type>Permanent</type>
//	    <postDate>2025-03-01T09:00:00</postDate>
//	    <closeDate>2025-03-31T23:59:59</closeDate>
//	    <url>https://...</url>
//	  </vacancyDetails>
//	</nhsJobs>
//
// Each <location> becomes one Location: its own text is Location.Text and
// its children fill the parts (town or city, county or region, postcode,
// country, lat or latitude, lon, lng or longitude). <location> may also
// sit straight inside <vacancyDetails>, and a <locations> holding only text
// is one place. Reference is reference, else id, like Indeed's
// referencenumber: the employer's own. Also read when present: staffGroup
// (Category), band or payBand, workingPattern, hours.
var NHSJobs Parser = parseNHSJobs

func parseNHSJobs(ctx context.Context, r io.Reader, _ Mapping, _ Fetch, emit func(Item) error) error {
	shape := xmlShape{format: "nhsjobs", root: "nhsjobs", record: "vacancydetails"}
	position := 0
	return decodeXMLRecords(ctx, r, shape, func(vacancy *element, line int) error {
		position++
		return emit(Item{
			Position:    position,
			Line:        line,
			Reference:   firstNonEmpty(vacancy.field("reference"), vacancy.field("id")),
			Title:       vacancy.field("title"),
			Description: markup(vacancy.child("description").html()),
			Employer:    vacancy.field("employer"),
			Locations:   nhsLocations(vacancy),
			Salary:      vacancy.field("salary"),
			Band:        vacancy.field("band", "payband"),
			Contract:    vacancy.field("type"),
			Pattern:     vacancy.field("workingpattern"),
			Hours:       vacancy.field("hours"),
			Category:    vacancy.field("staffgroup", "category"),
			PostedDate:  vacancy.field("postdate"),
			ClosingDate: vacancy.field("closedate"),
			URL:         link(vacancy.child("url").text()),
		})
	})
}

func nhsLocations(vacancy *element) []Location {
	places := vacancy.children("location")
	var locations []Location
	for _, group := range vacancy.children("locations") {
		inside := group.children("location")
		if len(inside) == 0 {
			inside = []*element{group}
		}
		places = append(places, inside...)
	}
	for _, place := range places {
		l := Location{
			Text:     plain(place.ownText()),
			Town:     place.field("town", "city"),
			Region:   place.field("county", "region"),
			Postcode: place.field("postcode", "postalcode"),
			Country:  place.field("country"),
			Lat:      place.field("lat", "latitude"),
			Lon:      place.field("lon", "lng", "longitude"),
		}
		if !emptyLocation(l) {
			locations = append(locations, l)
		}
	}
	return locations
}
