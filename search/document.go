package search

import (
	"strings"
	"time"

	"github.com/regionalcareers/portal/internal/markdown"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// VacancyDoc is a vacancy as the search index holds it: everything a
// results page shows, so a search needs no PostgreSQL round trip.
type VacancyDoc struct {
	ID              int64         `json:"id"`
	Path            string        `json:"path"`
	Title           string        `json:"title"`
	Summary         string        `json:"summary"`
	Description     string        `json:"description"`
	PartnerName     string        `json:"partner_name"`
	PartnerSlug     string        `json:"partner_slug"`
	PartnerType     string        `json:"partner_type"`
	StaffGroup      string        `json:"staff_group"`
	StaffGroupLabel string        `json:"staff_group_label"`
	Band            string        `json:"band,omitempty"`
	BandLabel       string        `json:"band_label,omitempty"`
	Pay             string        `json:"pay"`
	PayMin          float64       `json:"pay_min,omitempty"`
	PayMax          float64       `json:"pay_max,omitempty"`
	PayPeriod       string        `json:"pay_period,omitempty"`
	SalaryRange     string        `json:"salary_range,omitempty"`
	Contract        string        `json:"contract"`
	Patterns        []string      `json:"patterns"`
	HoursPerWeek    float64       `json:"hours_per_week"`
	Locations       []DocLocation `json:"locations"`
	LocationNames   []string      `json:"location_names"`
	Geo             *GeoPoint     `json:"_geo,omitempty"`
	Posted          int64         `json:"posted"`
	Closing         int64         `json:"closing"`
	PostedOn        string        `json:"posted_on"`
	ClosingOn       string        `json:"closing_on"`
	Passport        string        `json:"passport"` // "yes" or "no": facet values are strings
}

// DocLocation is one place a role is based.
type DocLocation struct {
	Name     string  `json:"name"`
	Postcode string  `json:"postcode,omitempty"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
}

// GeoPoint is Meilisearch's reserved _geo field.
type GeoPoint struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// highlightPre and highlightPost mark matches in Meilisearch's output.
// They are private-use characters that are removed from every document, so
// after escaping the text they can only be the markers we asked for.
const (
	highlightPre  = "\uE000"
	highlightPost = "\uE001"
)

var stripMarkers = strings.NewReplacer(highlightPre, "", highlightPost, "")

// NewVacancyDoc builds the search document for v.
func NewVacancyDoc(v vacancies.Vacancy) VacancyDoc {
	text := stripMarkers.Replace(markdown.ToText(v.Description))
	pay := v.Pay.Effective()
	doc := VacancyDoc{
		ID:              v.ID,
		Path:            v.Path(),
		Title:           stripMarkers.Replace(v.Title),
		Summary:         markdown.Excerpt(text, 240),
		Description:     text,
		PartnerName:     stripMarkers.Replace(v.Partner.Name),
		PartnerSlug:     v.Partner.Slug,
		PartnerType:     string(v.Partner.Type),
		StaffGroup:      v.StaffGroup,
		StaffGroupLabel: vacancies.StaffGroups.Label(v.StaffGroup),
		Band:            v.Pay.Band,
		Pay:             v.Pay.String(),
		PayMin:          pay.Min,
		PayMax:          pay.Max,
		PayPeriod:       pay.Period,
		Contract:        v.Contract,
		Patterns:        v.Patterns,
		HoursPerWeek:    v.HoursPerWeek,
		Posted:          v.PostedOn.Unix(),
		Closing:         v.ClosingOn.Unix(),
		PostedOn:        v.PostedOn.Format(time.DateOnly),
		ClosingOn:       v.ClosingOn.Format(time.DateOnly),
		Passport:        "no",
	}
	if v.Pay.Band != "" {
		doc.BandLabel = vacancies.Bands.Label(v.Pay.Band)
	}
	if annual := v.Pay.AnnualFTE(); annual > 0 {
		doc.SalaryRange = vacancies.SalaryRange(annual)
	}
	if v.PassportAccepted {
		doc.Passport = "yes"
	}
	for _, l := range v.Locations {
		doc.Locations = append(doc.Locations, DocLocation{Name: stripMarkers.Replace(l.Name), Postcode: l.Postcode, Lat: l.Lat, Lon: l.Lon})
		doc.LocationNames = append(doc.LocationNames, stripMarkers.Replace(l.Name))
	}
	if len(v.Locations) > 0 {
		// Meilisearch holds one point per document: the first location is
		// the role's main base, and radius searches measure from it.
		doc.Geo = &GeoPoint{Lat: v.Locations[0].Lat, Lng: v.Locations[0].Lon}
	}
	return doc
}
