package benchmark

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/regionalcareers/portal/internal/geo"
)

// feedStream keeps the feed document's random stream apart from the
// synthetic vacancies' when a caller passes the same seed.
const feedStream = 0x6665_6564_646f_6373

// feedEmployer is the one partner the benchmark feed belongs to: a staff
// bank exporting every role of a system's trusts, as the largest real
// feeds do.
var feedEmployer = struct{ Slug, Name, Domain string }{
	"bench-feed-staff-bank", "Fens and Ouse Health and Care Staff Bank", "jobs.fens-ouse-staffbank.nhs.uk",
}

// feedRole is a kind of job the feed advertises.
type feedRole struct {
	title    string
	areas    []string // appended as "Title – Area" when there are any
	category string   // as recruitment systems send it; "" leaves it to the title
	pay      feedPay
	family   string // picks the duties and the candidate
}

// feedPay is a salary as exporters write it: an Agenda for Change band,
// a yearly range or an hourly rate.
type feedPay struct {
	band     string
	low, hi  float64
	per      string // "annum" or "hour"
	trailing string // "pro rata", "depending on experience", ...
}

var (
	wards     = []string{"Respiratory Ward", "Acute Medical Unit", "Emergency Department", "Stroke Unit", "Orthopaedic Ward", "Elderly Care", "Cardiology", "Surgical Assessment Unit"}
	community = []string{"Fenland Neighbourhood Team", "Huntingdonshire Community Team", "Peterborough East", "Ely and Soham", "St Neots Locality"}
	therapy   = []string{"Musculoskeletal Outpatients", "Neuro Rehabilitation", "Paediatrics", "Acute Inpatients", "Community Therapy"}
	mental    = []string{"Adult Acute Inpatients", "Older People's Mental Health", "Crisis Resolution", "Early Intervention in Psychosis"}
	services  = []string{"Outpatients", "Medical Records", "Finance", "Workforce", "Patient Experience"}
)

var feedRoles = []feedRole{
	{title: "Staff Nurse", areas: wards, category: "Nursing & Midwifery", pay: feedPay{band: "5"}, family: "nursing"},
	{title: "Senior Staff Nurse", areas: wards, category: "Healthcare > Nursing", pay: feedPay{band: "6"}, family: "nursing"},
	{title: "Registered Mental Health Nurse", areas: mental, category: "Nursing", pay: feedPay{band: "5"}, family: "nursing"},
	{title: "Community Staff Nurse", areas: community, category: "Nursing", pay: feedPay{band: "5"}, family: "nursing"},
	{title: "District Nurse", areas: community, category: "Nursing and Midwifery Registered", pay: feedPay{band: "6"}, family: "nursing"},
	{title: "Registered Midwife", category: "Midwifery", pay: feedPay{band: "6"}, family: "nursing"},
	{title: "Practice Nurse", category: "", pay: feedPay{low: 34500, hi: 41000, per: "annum", trailing: "depending on experience"}, family: "nursing"},
	{title: "Healthcare Support Worker", areas: wards, category: "Healthcare Support", pay: feedPay{band: "3"}, family: "support"},
	{title: "Mental Health Support Worker", areas: mental, category: "Additional Clinical Services", pay: feedPay{band: "3"}, family: "support"},
	{title: "Phlebotomist", category: "", pay: feedPay{band: "3"}, family: "support"},
	{title: "Physiotherapist", areas: therapy, category: "Allied Health Professionals", pay: feedPay{band: "6"}, family: "therapy"},
	{title: "Occupational Therapist", areas: therapy, category: "Therapies", pay: feedPay{band: "5"}, family: "therapy"},
	{title: "Diagnostic Radiographer", category: "Allied Health Professionals", pay: feedPay{band: "5"}, family: "therapy"},
	{title: "Speech and Language Therapist", category: "", pay: feedPay{band: "6"}, family: "therapy"},
	{title: "Paramedic", category: "Allied Health", pay: feedPay{band: "6"}, family: "therapy"},
	{title: "Specialty Doctor", areas: []string{"Emergency Medicine", "Psychiatry", "Paediatrics", "General Surgery"}, category: "Medical and Dental", pay: feedPay{low: 59175, hi: 95400, per: "annum"}, family: "medical"},
	{title: "Salaried GP", category: "Medical", pay: feedPay{low: 78000, hi: 96000, per: "annum", trailing: "pro rata"}, family: "medical"},
	{title: "Biomedical Scientist", areas: []string{"Blood Sciences", "Microbiology", "Cellular Pathology"}, category: "Healthcare Science", pay: feedPay{band: "5"}, family: "science"},
	{title: "Pharmacy Technician", category: "Pharmacy", pay: feedPay{band: "5"}, family: "science"},
	{title: "Medical Secretary", areas: services, category: "Admin & Clerical", pay: feedPay{band: "3"}, family: "admin"},
	{title: "Ward Clerk", category: "Administrative and Clerical", pay: feedPay{band: "2"}, family: "admin"},
	{title: "GP Receptionist", category: "", pay: feedPay{low: 12.21, hi: 13.1, per: "hour"}, family: "admin"},
	{title: "Finance Officer", category: "Finance", pay: feedPay{band: "4"}, family: "admin"},
	{title: "Porter", category: "Estates and Ancillary", pay: feedPay{band: "2"}, family: "estates"},
	{title: "Domestic Assistant", category: "Hotel Services", pay: feedPay{band: "2"}, family: "estates"},
	{title: "Care Assistant", category: "Social Care", pay: feedPay{low: 12.6, hi: 13.75, per: "hour"}, family: "care"},
	{title: "Senior Carer", category: "Care Work", pay: feedPay{low: 13.4, hi: 14.5, per: "hour", trailing: "plus enhancements"}, family: "care"},
	{title: "Social Worker", areas: []string{"Adult Social Care", "Hospital Discharge", "Learning Disabilities"}, category: "Social Work", pay: feedPay{low: 35745, hi: 44428, per: "annum"}, family: "care"},
}

// Agenda for Change 2025/26 pay points, first and top of each band.
var afcBands = map[string][2]float64{
	"2": {24465, 24465}, "3": {24937, 26598}, "4": {27485, 30162}, "5": {29970, 36483},
	"6": {37338, 44962}, "7": {46148, 52809},
}

var (
	feedJobTypes = []string{"Full-time, Permanent", "Full-time, Permanent", "Full-time, Permanent", "Part-time, Permanent",
		"Full-time, Fixed term", "Part-time, Fixed term", "Bank", "Full-time, Permanent, Nights"}
	feedIntros = []string{
		"Are you looking for a role where you make a real difference every day? Join us as %s in %s.",
		"We are recruiting to the post of %s in a supportive and well-established team based in %s.",
		"An exciting opportunity has arisen in the role of %s, working with us in %s and across the region.",
		"Come and work with people who care: we are looking for a new %s to join us in %s.",
	}
	feedDuties = map[string][]string{
		"nursing": {"Assess, plan and evaluate the care of a caseload of patients", "Administer medicines safely and keep accurate records",
			"Support and supervise healthcare support workers and students", "Work with doctors, therapists and families to plan discharge",
			"Take charge of the shift when needed", "Recognise the deteriorating patient and escalate promptly"},
		"support": {"Help patients with personal care, eating and moving about", "Take observations and report changes to the nurse in charge",
			"Keep the clinical area clean, stocked and safe", "Spend time with patients and their families", "Complete training to take blood and record ECGs"},
		"therapy": {"Assess patients and agree goals that matter to them", "Deliver and review treatment programmes",
			"Supervise assistants and students on placement", "Keep clear, timely records", "Take part in service improvement and audit"},
		"medical": {"Assess and treat patients with a wide range of conditions", "Supervise and teach junior doctors and students",
			"Take part in the on-call rota", "Contribute to audit, governance and research", "Work closely with the multidisciplinary team"},
		"science": {"Process and analyse samples to quality standards", "Maintain and calibrate equipment",
			"Validate results and report to clinicians", "Train new staff and students", "Take part in the quality management system"},
		"admin": {"Manage diaries, clinics and correspondence", "Answer calls and greet patients and visitors",
			"Keep patient records accurate and up to date", "Process invoices and reconcile accounts", "Support the team with ad hoc projects"},
		"estates": {"Move patients, equipment and supplies safely around the site", "Keep wards and departments clean to national standards",
			"Follow infection prevention procedures", "Respond quickly to urgent requests", "Work as part of a busy, friendly team"},
		"care": {"Support people with personal care, meals and medication", "Help people stay independent and take part in activities",
			"Write clear daily notes", "Work with families and health professionals", "Lead and mentor newer colleagues on shift"},
	}
	feedCandidate = []string{"You will be kind, reliable and a good team player.", "You will communicate clearly with patients, families and colleagues.",
		"You will hold the registration or qualifications the role needs.", "You will be organised and able to prioritise a busy workload.",
		"Experience is welcome but not essential: full training is given."}
	feedOffers = []string{"27 days' annual leave rising with service, plus bank holidays", "NHS Pension Scheme",
		"Free health and wellbeing support", "Salary sacrifice schemes including cycle to work and electric cars",
		"Discounted parking and good bus links", "Funded training and career development", "Flexible working considered for every role"}
)

// feedTowns are the region's places with a postcode district, picked at
// random for each job.
func feedTowns() []geo.Place {
	var towns []geo.Place
	for _, p := range geo.Default().Places("Cambridgeshire", "City of Peterborough") {
		if p.Postcode != "" {
			towns = append(towns, p)
		}
	}
	return towns
}

// writeIndeedFeed writes an Indeed XML document of n jobs to w, the same
// for the same seed and day, and returns its size and SHA-256 (for the
// ETag). Descriptions are about a kilobyte of HTML in CDATA, as exporters
// send them; closing dates fall after today so every job is live.
func writeIndeedFeed(out io.Writer, n int, seed int64, today time.Time) (size int64, sum string, err error) {
	hash := sha256.New()
	counter := &countingWriter{w: io.MultiWriter(out, hash)}
	w := bufio.NewWriterSize(counter, 64<<10)
	rng := rand.New(rand.NewPCG(uint64(seed), feedStream))
	towns := feedTowns()
	if len(towns) == 0 {
		return 0, "", fmt.Errorf("the gazetteer has no places in Cambridgeshire or Peterborough")
	}
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<source>\n  <publisher>%s</publisher>\n"+
		"  <publisherurl>https://%s</publisherurl>\n  <lastBuildDate>%s</lastBuildDate>\n",
		feedEmployer.Name, feedEmployer.Domain, today.UTC().Format(http.TimeFormat))
	for k := 1; k <= n; k++ {
		writeJob(w, rng, towns, k, today)
	}
	fmt.Fprint(w, "</source>\n")
	if err := w.Flush(); err != nil {
		return counter.n, "", err
	}
	return counter.n, hex.EncodeToString(hash.Sum(nil)), nil
}

func writeJob(w *bufio.Writer, rng *rand.Rand, towns []geo.Place, k int, today time.Time) {
	r := feedRoles[rng.IntN(len(feedRoles))]
	title := r.title
	if len(r.areas) > 0 && rng.IntN(3) > 0 {
		title += " – " + r.areas[rng.IntN(len(r.areas))]
	}
	town := towns[rng.IntN(len(towns))]
	ref := fmt.Sprintf("FSB-%07d", k)
	field := func(name, value string) { fmt.Fprintf(w, "    <%s><![CDATA[%s]]></%s>\n", name, value, name) }
	w.WriteString("  <job>\n")
	field("title", title)
	field("date", today.AddDate(0, 0, -rng.IntN(21)).Format(time.DateOnly))
	field("referencenumber", ref)
	field("url", fmt.Sprintf("https://%s/vacancy/%s?src=indeed", feedEmployer.Domain, ref))
	field("company", feedEmployer.Name)
	field("city", town.Name)
	field("state", town.County)
	field("country", "GB")
	field("postalcode", town.Postcode)
	field("description", feedDescription(rng, r, town.Name))
	field("salary", r.pay.text(rng))
	field("jobtype", feedJobTypes[rng.IntN(len(feedJobTypes))])
	field("category", r.category)
	field("expirationdate", today.AddDate(0, 0, 7+rng.IntN(50)).Format(time.DateOnly))
	field("remotetype", "")
	w.WriteString("    <experience>Not required</experience>\n  </job>\n")
}

// feedDescription is about a kilobyte of HTML: an introduction, duties,
// the candidate, what is offered and how to ask about the role.
func feedDescription(rng *rand.Rand, r feedRole, town string) string {
	var b strings.Builder
	list := func(pool []string, count int) {
		b.WriteString("<ul>")
		for _, i := range rng.Perm(len(pool))[:min(count, len(pool))] {
			b.WriteString("<li>" + pool[i] + "</li>")
		}
		b.WriteString("</ul>\n")
	}
	fmt.Fprintf(&b, "<p>"+feedIntros[rng.IntN(len(feedIntros))]+"</p>\n", r.title, town)
	b.WriteString("<h3>About the role</h3>\n")
	list(feedDuties[r.family], 3+rng.IntN(3))
	b.WriteString("<h3>About you</h3>\n<p>")
	for _, i := range rng.Perm(len(feedCandidate))[:3] {
		b.WriteString(feedCandidate[i] + " ")
	}
	b.WriteString("</p>\n<h3>What we offer</h3>\n")
	list(feedOffers, 4+rng.IntN(3))
	fmt.Fprintf(&b, "<p>For an informal chat, please contact the recruitment team on 01733 %06d or email "+
		"<a href=\"mailto:recruitment@%s\">recruitment@%s</a>. We may close this advert early if we receive "+
		"a high number of applications, so please apply soon.</p>", rng.IntN(1_000_000), feedEmployer.Domain, feedEmployer.Domain)
	return b.String()
}

// text writes the salary as exporters do: "Band 5: £29,970 - £36,483 per
// annum", "£12.60 - £13.75 per hour plus enhancements".
func (p feedPay) text(rng *rand.Rand) string {
	if p.band != "" {
		pay := afcBands[p.band]
		s := fmt.Sprintf("Band %s: %s - %s per annum", p.band, pounds(pay[0]), pounds(pay[1]))
		if rng.IntN(4) == 0 {
			s += " pro rata"
		}
		return s
	}
	s := fmt.Sprintf("%s - %s per %s", pounds(p.low), pounds(p.hi), p.per)
	if p.trailing != "" {
		s += " " + p.trailing
	}
	return s
}

// pounds writes £29,970 for whole pounds and £12.60 otherwise.
func pounds(v float64) string {
	if v != float64(int64(v)) {
		return fmt.Sprintf("£%.2f", v)
	}
	return "£" + thousands(int(v))
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// feedServer serves the document at path as /jobs.xml with a strong ETag
// and Last-Modified, answering a matching conditional request with 304,
// as a recruitment system's export endpoint does.
func feedServer(path, etag string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/jobs.xml" {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.Header().Set("ETag", `"`+etag+`"`)
		http.ServeContent(w, r, "jobs.xml", info.ModTime(), f)
	})
}
