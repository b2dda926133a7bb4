package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
)

var intros = []string{
	"{partner} is looking for {a role} to join the team at {site}, {town}.",
	"Are you looking for your next step? We are recruiting {a role} at {site} in {town}.",
	"An exciting opportunity has arisen for {a role} to join us at {site}, {town}.",
	"Join {partner} as {a role} and make a real difference to people in and around {town}.",
	"We would love to hear from you if you want to work as {a role} at {site}.",
	"{site} in {town} is growing, and we need {a role} to help us.",
}

var teams = map[string][]string{
	acute: {
		"Our {team} is a mix of experienced and newer staff who look out for each other. We have a practice development nurse, regular teaching and a rota you get six weeks in advance.",
		"The team has one of the best staff survey results in the trust, thanks to supportive leadership, protected breaks and real flexibility over shifts.",
		"{site} is a busy district general hospital with good transport links, on-site parking and a staff restaurant open around the clock.",
	},
	communityHS: {
		"You will be part of a community team based in {town}, working in people's homes, clinics and care homes across nearby villages. Every team member has a laptop and a pool car or mileage allowance.",
		"Our community teams work closely with GP practices, social care and the voluntary sector, so you will see the whole person and not just a referral.",
		"The team prides itself on its friendly base in {town}, daily huddles and support from experienced colleagues whenever you need it.",
	},
	mental: {
		"Our {team} is made up of nurses, doctors, psychologists, occupational therapists, support workers and peer workers who share their skills and support each other through reflective practice.",
		"We are committed to trauma-informed care and to reducing restrictive practice, and you will have time to think as well as do.",
		"The service works with people in {town} and surrounding areas, with strong links to primary care and local charities.",
	},
	ambulance: {
		"You will work from {site}, part of a sector with its own clinical team leaders, a welfare room and a station culture people often describe as a second family.",
		"We are investing in new vehicles, more clinical support in the control room and rotational roles across urgent care and primary care.",
	},
	council: {
		"Our locality teams work from {site} and from home, with team days each week for peer support and reflective discussion. Caseloads are monitored to stay manageable.",
		"You will join a team that was praised in its last peer review for strengths-based practice and close working with the NHS.",
	},
	pcn: {
		"Our additional roles team meets weekly for clinical supervision and has a named GP supervisor for each professional.",
		"You will work across our member practices, with a home base at {site}, and help shape a service that is still growing.",
	},
	gp: {
		"We are a friendly, forward-thinking practice team at {site}, with GPs, nurses, a clinical pharmacist and a reception team who pull together.",
		"Our patients range from young families to a large older population in nearby villages, so no two days are the same.",
	},
	careHome: {
		"{site} is a warm, homely care home in {town} where residents' choices come first. Our team is small enough that everyone knows each other, and our last inspection rated us good.",
		"We have low staff turnover, a manager who works the floor and a training lead who makes sure you never feel out of your depth.",
	},
	nursingHome: {
		"Our nursing team is supported by visiting GPs, community specialist nurses and a clinical lead who is always on call for advice.",
	},
	homeCare: {
		"Our rounds are planned village by village around {town}, so you spend more time with people and less on the road. Your coordinator is always at the end of the phone.",
		"We are a local, independent agency rated good by the Care Quality Commission, and many of our carers have been with us for more than five years.",
	},
	supported: {
		"You will support a small group of people in {town} who choose how they live, from cooking and shopping to college, volunteering and holidays.",
		"Our services are small and personal, and each has a team leader who works alongside you.",
	},
	hospice: {
		"{site} is a calm, well-resourced place to work, with time to give the care you always wanted to give. Our staff-to-patient ratios are among the best in the region.",
		"You will join a multidisciplinary team of nurses, doctors, therapists, chaplains and family support workers who meet daily to plan care together.",
	},
	mhCharity: {
		"Our hubs are welcoming, informal spaces where people can drop in, join a group or talk one to one. Half of our team have lived experience of mental ill health.",
	},
	carersCharity: {
		"We are a small, friendly charity team that knows local carers well and works closely with GP practices, hospitals and schools.",
	},
	charity: {
		"As a local charity we are flexible, friendly and proud of what a small team can do. Every role has regular supervision and a wellbeing budget.",
	},
}

var offers = map[partners.Type][]string{
	partners.NHSTrust: {"NHS Pension Scheme, one of the best in the UK", "27 days' annual leave rising to 33 days with service, plus bank holidays",
		"Blue Light Card and NHS discounts", "Salary sacrifice schemes for cars, bikes and home electronics", "Staff wellbeing service and free counselling",
		"Flexible working from day one", "Funded courses and study leave", "On-site staff parking and discounted bus travel",
		"Preceptorship and clinical supervision", "On-site nursery", "Staff networks for race equality, LGBTQ+ staff and disabled staff"},
	partners.Ambulance: {"NHS Pension Scheme", "27 days' annual leave rising to 33 days, plus bank holidays", "Unsocial hours enhancements",
		"Blue Light Card and NHS discounts", "Funded C1 driving training for eligible roles", "Trauma-informed wellbeing support and peer support",
		"Clear career pathway from support worker to specialist paramedic", "Salary sacrifice cycle and car schemes"},
	partners.PrimaryCare: {"NHS Pension Scheme", "Funded training and protected learning time", "Free on-site parking",
		"Friendly, supportive team", "Flexible working where the rota allows", "Blue Light Card eligibility",
		"Annual leave of 25 days plus bank holidays", "Indemnity cover for clinical roles"},
	partners.Council: {"Local Government Pension Scheme", "26 days' annual leave rising to 31, plus bank holidays", "Hybrid working",
		"Essential car user allowance and mileage", "Protected learning time and a practice development programme",
		"Employee assistance programme", "Blue Light Card eligibility", "Discounted leisure centre membership"},
	partners.CareProvider: {"Paid training and shadow shifts", "Funded Level 2 and 3 diplomas in health and social care", "Paid DBS check",
		"Free uniform", "Weekly or monthly pay", "Blue Light Card eligibility", "Employee of the month awards",
		"Workplace pension", "Refer-a-friend bonus", "Free meals on shift", "28 days' holiday including bank holidays"},
	partners.Hospice: {"NHS Pension Scheme continued for eligible staff, or a generous hospice pension", "Pay and leave aligned to Agenda for Change",
		"Free on-site parking", "Clinical supervision and reflective practice", "Study leave and funded courses",
		"Blue Light Card eligibility", "Employee assistance programme", "Discount in our charity shops"},
	partners.Charity: {"Flexible and family-friendly hours", "Workplace pension with 5% employer contribution", "25 days' annual leave plus bank holidays",
		"Monthly supervision and a wellbeing budget", "Mileage for travel between hubs", "Funded training and development",
		"Blue Light Card eligibility"},
}

var headings = [][]string{
	{"### About the role", "### What you'll be doing", "### Main duties", "### Key responsibilities"},
	{"### About the team", "### Where you'll work", "### About us"},
	{"### About you", "### What we're looking for", "### Skills and experience"},
	{"### What we offer", "### Benefits", "### Why join us?"},
}

var firstNames = []string{"Amelia", "Sam", "Priya", "James", "Chloe", "Tomasz", "Grace", "Oliver", "Aisha", "Daniel",
	"Hannah", "Kwame", "Sophie", "Mark", "Fatima", "Rachel", "Liam", "Joanna", "Ravi", "Helen", "Agnieszka", "Tom"}

var lastNames = []string{"Turner", "Okafor", "Patel", "Hughes", "Nowak", "Bennett", "Clarke", "Shah", "Fletcher",
	"Morgan", "Ahmed", "Wright", "Dawson", "Kowalski", "Reid", "Osei", "Hart", "Finch", "Begum", "Lawson"}

var closings = []string{
	"We may close this vacancy early if we receive a high number of applications, so please apply as soon as you can.",
	"Interviews will be held shortly after the closing date.",
	"We welcome applications from everyone and guarantee an interview to disabled applicants who meet the essential criteria.",
	"This post is subject to an enhanced DBS check.",
	"We are happy to talk about flexible working: tell us what would work for you.",
}

// job is what the description of one vacancy is composed from.
type job struct {
	Role    role
	Noun    string // the role as it reads in a sentence: "Staff Nurse", "Consultant in Cardiology"
	Area    string
	Partner demoPartner
	Sites   []site
	V       *vacancies.Vacancy
}

// describe writes a markdown description from the role family's phrases,
// the partner's team text and benefits, and the contract and pattern.
func describe(rng *rand.Rand, j job) string {
	fam := families[j.Role.Family]
	team := "team"
	if j.Area != "" {
		team = j.Area
		if !strings.HasSuffix(strings.ToLower(team), "team") {
			team += " team"
		}
	}
	fill := strings.NewReplacer("{partner}", j.Partner.Name, "{a role}", withArticle(j.Noun), "{site}", j.Sites[0].Name,
		"{town}", j.Sites[0].Town, "{team}", team)

	var b strings.Builder
	para := func(s string) { b.WriteString(fill.Replace(s)); b.WriteString("\n\n") }
	bullets := func(pool []string, lo, hi int) {
		for _, s := range pickSome(rng, pool, lo+rng.IntN(hi-lo+1)) {
			b.WriteString("- " + fill.Replace(s) + "\n")
		}
		b.WriteString("\n")
	}
	para(pick(rng, intros))
	para(pick(rng, fam.Summary))
	if len(j.Sites) > 1 {
		names := make([]string, len(j.Sites))
		for i, s := range j.Sites {
			names[i] = s.Name + " (" + s.Town + ")"
		}
		para("The role is shared across " + strings.Join(names, ", ") + ", so you will need to travel between sites.")
	}
	para(pick(rng, headings[0]))
	bullets(fam.Duties, 4, min(6, len(fam.Duties)))
	para(pick(rng, headings[1]))
	teamText := fam.Team
	if len(teamText) == 0 {
		for _, p := range j.Partner.Profiles {
			teamText = append(teamText, teams[p]...)
		}
	}
	para(pick(rng, teamText))
	para(pick(rng, headings[2]))
	bullets(fam.You, 3, min(5, len(fam.You)))
	para(pick(rng, headings[3]))
	bullets(offers[j.Partner.Type], 4, 6)
	para(terms(rng, j.V))
	first, last := pick(rng, firstNames), pick(rng, lastNames)
	para(fmt.Sprintf("For an informal chat about the role, email %s %s, %s, at %s.%s@%s.", first, last, contact(j.Role, j.Partner.Type),
		strings.ToLower(first), strings.ToLower(last), j.Partner.Domain))
	para(pick(rng, closings))
	return strings.TrimSpace(b.String())
}

// contact is who answers questions about the role: the family's usual
// manager in the NHS, the person who runs the service elsewhere.
func contact(r role, t partners.Type) string {
	senior := r.Family == "medical" || r.Family == "leadership"
	switch t {
	case partners.PrimaryCare:
		if senior {
			return "Senior GP Partner"
		}
		return "Practice Manager"
	case partners.CareProvider:
		if senior {
			return "Operations Director"
		}
		return "Registered Manager"
	case partners.Council:
		return "Team Manager"
	case partners.Charity:
		return "Service Lead"
	case partners.Hospice:
		if r.Family == "nursing" || r.Family == "support" {
			return "Head of Inpatient Services"
		}
	}
	return families[r.Family].Contact
}

// terms says in words what the contract, pattern and hours mean.
func terms(rng *rand.Rand, v *vacancies.Vacancy) string {
	hours := fmt.Sprintf("%g hours a week", v.HoursPerWeek)
	var s string
	switch v.Contract {
	case "fixed-term":
		s = fmt.Sprintf("This is a fixed-term post for %s, %s.", pick(rng, []string{"12 months", "9 months", "6 months", "18 months"}),
			pick(rng, []string{"to cover maternity leave", "while a new service is evaluated", "funded by a national programme"}))
	case "secondment":
		s = "This is a 12-month secondment; please get your line manager's agreement before applying."
	case "bank":
		s = "This is a bank post: you choose the shifts that suit you, with weekly pay and no minimum commitment after your first month. The hours shown are a typical week."
	case "apprenticeship":
		s = "This is an apprenticeship: you will earn while you learn, with study time built into your working week and the full cost of the qualification paid."
	case "rotation":
		s = "This is a rotational post: you will spend four to six months in each area to build broad experience before choosing where to specialise."
	default:
		s = "This is a permanent post."
	}
	var when []string
	for _, p := range v.Patterns {
		switch p {
		case "nights":
			when = append(when, "mainly long night shifts")
		case "weekends":
			when = append(when, "including alternate weekends")
		case "term-time":
			when = append(when, "during school terms only")
		case "job-share":
			when = append(when, "as a job share (we will help match you with a partner)")
		case "flexible":
			when = append(when, "with flexible start and finish times")
		}
	}
	s += " It is " + hours
	if len(when) > 0 {
		s += ", " + strings.Join(when, ", ")
	}
	return s + "."
}

// withArticle puts "a" or "an" before a job title.
func withArticle(noun string) string {
	if strings.ContainsRune("AEIOU", rune(noun[0])) || strings.HasPrefix(noun, "HR ") {
		return "an " + noun
	}
	return "a " + noun
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

// pickSome returns n distinct items from list, in list order.
func pickSome(rng *rand.Rand, list []string, n int) []string {
	n = min(n, len(list))
	chosen := make([]bool, len(list))
	for _, i := range rng.Perm(len(list))[:n] {
		chosen[i] = true
	}
	out := make([]string, 0, n)
	for i, s := range list {
		if chosen[i] {
			out = append(out, s)
		}
	}
	return out
}
