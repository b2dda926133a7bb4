package formats

import (
	"context"
	"io"
)

// Indeed reads Indeed-style XML, the shape most recruitment systems export:
//
//	<source>
//	  <job>
//	    <title><![CDATA[Staff Nurse]]></title>
//	    <date>2025-03-01</date>
//	    <referencenumber>288-ACS-1234</referencenumber>
//	    <requisitionid>REQ-1</requisitionid>
//	    <url>https://...</url>
//	    <company>...</company>
//	    <city>Ely</city> <state>Cambridgeshire</state> <country>GB</country>
//	    <postalcode>CB6 1DN</postalcode>
//	    <description><![CDATA[<p>...</p>]]></description>
//	    <salary>£28,407 - £34,581 per annum</salary>
//	    <jobtype>Full-time, Permanent</jobtype>
//	    <category>Nursing</category>
//	    <expirationdate>2025-03-31</expirationdate>
//	    <remotetype>Hybrid</remotetype>
//	  </job>
//	</source>
//
// Reference is referencenumber, else requisitionid. Other elements
// (education, experience, ...) are ignored.
var Indeed Parser = parseIndeed

func parseIndeed(ctx context.Context, r io.Reader, _ Mapping, _ Fetch, emit func(Item) error) error {
	shape := xmlShape{format: "indeed", root: "source", record: "job"}
	position := 0
	return decodeXMLRecords(ctx, r, shape, func(job *element, line int) error {
		position++
		it := Item{
			Position:    position,
			Line:        line,
			Reference:   firstNonEmpty(job.field("referencenumber"), job.field("requisitionid")),
			Title:       job.field("title"),
			Description: markup(job.child("description").html()),
			Employer:    job.field("company"),
			Salary:      job.field("salary"),
			Contract:    job.field("jobtype"),
			Category:    job.field("category"),
			PostedDate:  job.field("date"),
			ClosingDate: job.field("expirationdate"),
			URL:         link(job.child("url").text()),
			Remote:      job.field("remotetype"),
		}
		place := Location{
			Text:     job.field("streetaddress", "location"),
			Town:     job.field("city"),
			Region:   job.field("state"),
			Postcode: job.field("postalcode"),
			Country:  job.field("country"),
		}
		if !emptyLocation(place) {
			it.Locations = []Location{place}
		}
		return emit(it)
	})
}
