package benchmark

// benchQuery is one search a jobseeker might run, as the /jobs URL's query
// string; the API takes the same parameters.
type benchQuery struct {
	Kind   string // what it exercises, for the per-query table
	Params string
}

// querySet is the fixed mix every run times, in this order before
// shuffling. Facet values are the controlled lists' slugs; partners and
// places are the demo consortium's.
var querySet = []benchQuery{
	// Keywords alone, relevance order.
	{"keyword", "q=nurse"},
	{"keyword", "q=healthcare+assistant"},
	{"keyword", "q=physiotherapist"},
	{"keyword", "q=consultant+psychiatrist"},
	{"keyword", "q=paramedic"},
	{"keyword", "q=medical+receptionist"},
	{"keyword", "q=pharmacy+technician"},
	{"keyword", "q=astronaut"}, // nothing found: the page suggests ways out
	// Synonyms (the index maps these to the full job names).
	{"synonym", "q=rn"},
	{"synonym", "q=hca"},
	{"synonym", "q=physio"},
	{"synonym", "q=salt"},
	// Typos.
	{"typo", "q=nurce"},
	{"typo", "q=physiotherapsit"},
	{"typo", "q=recepionist"},
	// No keywords: the landing search, newest first.
	{"empty", ""},
	{"empty", "sort=closing"},
	// Keywords with a place and radius.
	{"location", "q=nurse&location=Cambridge"},
	{"location", "q=care+assistant&location=Wisbech&distance=5"},
	{"location", "q=admin&location=Ely&distance=30"},
	{"location", "location=Huntingdon"}, // a place alone sorts nearest first
	{"location", "location=PE13&distance=20"},
	// One facet.
	{"facet", "staff_group=nursing-midwifery"},
	{"facet", "band=5"},
	{"facet", "contract=bank"},
	{"facet", "pattern=nights"},
	{"facet", "partner_type=care-provider"},
	{"facet", "partner=nenebridge-hospitals"},
	{"facet", "passport=yes"},
	{"facet", "salary=30k-40k"},
	// Several facets, several values each (disjunctive counts: more queries per search).
	{"facets", "staff_group=nursing-midwifery&band=5&band=6"},
	{"facets", "q=nurse&band=5&band=6&pattern=part-time&pattern=flexible"},
	{"facets", "staff_group=allied-health&staff_group=additional-clinical&contract=permanent&partner_type=nhs-trust&partner_type=hospice"},
	{"facets", "q=care&location=March&distance=20&partner_type=care-provider&pattern=nights&pattern=weekends&salary=under-25k&salary=25k-30k"},
	// Chosen orders.
	{"sorted", "q=nurse&sort=closing"},
	{"sorted", "q=nurse&sort=newest"},
	{"sorted", "staff_group=admin-clerical&sort=newest"},
	{"sorted", "q=support+worker&location=Peterborough&distance=15&sort=distance"},
	// Deeper pages.
	{"page 3", "q=nurse&page=3"},
	{"page 3", "page=3"},
	{"page 3", "band=4&sort=closing&page=3"},
}
