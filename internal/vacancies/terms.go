package vacancies

// Term is one value of a controlled list: the slug kept in the database, in
// URLs and in search, and the label people read.
type Term struct {
	Slug  string
	Label string
}

// Terms is an ordered controlled list.
type Terms []Term

// Label returns the label for slug, or slug itself when unknown.
func (ts Terms) Label(slug string) string {
	for _, t := range ts {
		if t.Slug == slug {
			return t.Label
		}
	}
	return slug
}

// Has reports whether slug is in the list.
func (ts Terms) Has(slug string) bool {
	for _, t := range ts {
		if t.Slug == slug {
			return true
		}
	}
	return false
}

// StaffGroups follows the NHS Jobs staff groups, with social care added.
var StaffGroups = Terms{
	{"nursing-midwifery", "Nursing and midwifery"},
	{"allied-health", "Allied health professionals"},
	{"medical-dental", "Medical and dental"},
	{"healthcare-science", "Healthcare scientists"},
	{"scientific-technical", "Scientific and technical"},
	{"additional-clinical", "Additional clinical services"},
	{"admin-clerical", "Administrative and clerical"},
	{"estates-ancillary", "Estates and ancillary"},
	{"social-care", "Social care"},
}

// Contracts are the contract types a role can have.
var Contracts = Terms{
	{"permanent", "Permanent"},
	{"fixed-term", "Fixed term"},
	{"bank", "Bank"},
	{"apprenticeship", "Apprenticeship"},
	{"rotation", "Rotation"},
	{"secondment", "Secondment"},
}

// Patterns are working patterns; a role can have several.
var Patterns = Terms{
	{"full-time", "Full time"},
	{"part-time", "Part time"},
	{"flexible", "Flexible working"},
	{"nights", "Nights"},
	{"weekends", "Weekends"},
	{"term-time", "Term time"},
	{"job-share", "Job share"},
}

// Bands are the Agenda for Change pay bands.
var Bands = Terms{
	{"2", "Band 2"}, {"3", "Band 3"}, {"4", "Band 4"}, {"5", "Band 5"}, {"6", "Band 6"},
	{"7", "Band 7"}, {"8a", "Band 8a"}, {"8b", "Band 8b"}, {"8c", "Band 8c"}, {"8d", "Band 8d"}, {"9", "Band 9"},
}

// Statuses a vacancy moves through. Feeds write live and closed roles;
// recruiters also write drafts and scheduled roles, which go live at their
// PublishAt.
const (
	Draft     = "draft"
	Scheduled = "scheduled"
	Live      = "live"
	Closed    = "closed"
)

// Statuses lists every status in the order a role moves through them.
var Statuses = Terms{{Draft, "Draft"}, {Scheduled, "Scheduled"}, {Live, "Live"}, {Closed, "Closed"}}

// PayRange is an Agenda for Change band's annual pay, bottom to top point.
type PayRange struct{ Min, Max float64 }

// AfCPayScale is the 2025/26 Agenda for Change pay scale (England), the
// figures NHS Employers publishes; bands with one point have Min == Max.
const AfCPayScaleYear = "2025/26"

var AfCPayScale = map[string]PayRange{
	"2":  {24465, 24465},
	"3":  {24937, 26470},
	"4":  {27485, 30162},
	"5":  {29970, 36483},
	"6":  {37338, 44962},
	"7":  {46148, 52809},
	"8a": {53755, 60504},
	"8b": {62215, 72293},
	"8c": {74290, 85601},
	"8d": {88168, 101677},
	"9":  {105385, 121271},
}

// SalaryRanges bucket full-time-equivalent annual pay for the salary facet.
var SalaryRanges = Terms{
	{"under-25k", "Up to £24,999"},
	{"25k-30k", "£25,000 to £29,999"},
	{"30k-40k", "£30,000 to £39,999"},
	{"40k-50k", "£40,000 to £49,999"},
	{"50k-70k", "£50,000 to £69,999"},
	{"70k-plus", "£70,000 or more"},
}

// FullTimeHours is the NHS standard working week, used to compare hourly
// pay with annual pay in the salary facet (and said so on the page).
const FullTimeHours = 37.5

// SalaryRange returns the bucket of an annual full-time-equivalent amount.
func SalaryRange(annual float64) string {
	switch {
	case annual < 25000:
		return "under-25k"
	case annual < 30000:
		return "25k-30k"
	case annual < 40000:
		return "30k-40k"
	case annual < 50000:
		return "40k-50k"
	case annual < 70000:
		return "50k-70k"
	default:
		return "70k-plus"
	}
}
