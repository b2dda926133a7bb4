package demo

import "github.com/regionalcareers/portal/internal/partners"

// demoPartner is one employer of the fictional consortium, with what the
// generator needs beyond the partners table: where it works, what kind of
// services it runs and how many roles it advertises.
type demoPartner struct {
	partners.Partner
	Prefix   string   // external reference prefix, e.g. "NBH"
	Domain   string   // example domain for the website, apply links and emails
	Profiles []string // services it runs; roles list the profiles that advertise them
	Sites    []site
	Count    int // vacancies in the seeded demo
}

// site is a base a role can work from. Town must be a place the gazetteer
// knows in Cambridgeshire or Peterborough.
type site struct {
	Name string // "Nenebridge City Hospital"
	Town string // "Peterborough"
	Kind string // ward (inpatient or residential), community (clinic or team base), office or shop
}

// Site kinds.
const (
	ward      = "ward"
	community = "community"
	office    = "office"
	shop      = "shop" // a charity shop
)

// Partner profiles: the kinds of service a partner runs.
const (
	acute         = "acute"
	communityHS   = "community-health"
	mental        = "mental-health"
	ambulance     = "ambulance"
	council       = "council"
	pcn           = "pcn"
	gp            = "gp"
	careHome      = "care-home"
	nursingHome   = "nursing-home"
	homeCare      = "home-care"
	supported     = "supported-living"
	hospice       = "hospice"
	charity       = "charity"
	mhCharity     = "mental-health-charity"
	carersCharity = "carers-charity"
)

// Every name is invented and carries "(fictional)" so nobody mistakes the
// demo for a real employer; every website is on the reserved .example TLD.
var consortium = []demoPartner{
	{
		Partner: partners.Partner{Slug: "nenebridge-hospitals", Type: partners.NHSTrust,
			Name: "Nenebridge Hospitals NHS Foundation Trust (fictional)",
			About: "Nenebridge Hospitals runs the fictional Nenebridge City Hospital in Peterborough and Ouse Meadow " +
				"Hospital in Huntingdon, providing emergency, maternity, surgical and specialist care for around " +
				"700,000 people across the north of the region. We employ more than 6,000 staff and are proud of our " +
				"teaching partnerships, our nurse preceptorship programme and a staff survey that keeps improving."},
		Prefix: "NBH", Domain: "nenebridge-hospitals.example", Profiles: []string{acute}, Count: 105,
		Sites: []site{
			{"Nenebridge City Hospital", "Peterborough", ward},
			{"Ouse Meadow Hospital", "Huntingdon", ward},
			{"Nenebridge City Hospital outpatients", "Peterborough", community},
			{"Ouse Meadow Hospital outpatients", "Huntingdon", community},
			{"Nenebridge Hospitals headquarters", "Peterborough", office},
		},
	},
	{
		Partner: partners.Partner{Slug: "cantabrook-hospitals", Type: partners.NHSTrust,
			Name: "Cantabrook Hospitals NHS Foundation Trust (fictional)",
			About: "Cantabrook Hospitals is the fictional acute and specialist trust for Cambridge and the south of " +
				"the county. Cantabrook Hospital provides emergency care, a major trauma unit, children's services and " +
				"cancer care, and the Cantabrook Heart and Lung Centre in Papworth Everard treats patients from across " +
				"the East of England. Research runs through everything we do."},
		Prefix: "CBH", Domain: "cantabrook-hospitals.example", Profiles: []string{acute}, Count: 105,
		Sites: []site{
			{"Cantabrook Hospital", "Cambridge", ward},
			{"Cantabrook Heart and Lung Centre", "Papworth Everard", ward},
			{"Cantabrook Hospital outpatients", "Cambridge", community},
			{"Sawston Diagnostic Centre", "Sawston", community},
			{"Cantabrook Hospitals offices", "Cambridge", office},
		},
	},
	{
		Partner: partners.Partner{Slug: "fenland-valley-community-health", Type: partners.NHSTrust,
			Name: "Fenland Valley Community Health NHS Trust (fictional)",
			About: "Fenland Valley Community Health provides the fictional region's community services: district " +
				"nursing, community hospitals in Wisbech and Ely, children's services, therapies and specialist " +
				"nursing teams. Most of our 2,500 staff work in people's homes, schools and local clinics, so " +
				"patients get care close to home in market towns and villages across the Fens."},
		Prefix: "FVT", Domain: "fenland-valley.example", Profiles: []string{communityHS}, Count: 70,
		Sites: []site{
			{"Fenland Valley Community Hospital", "Wisbech", ward},
			{"Isle of Ely Community Hospital", "Ely", ward},
			{"March Health Centre", "March", community},
			{"Chatteris Clinic", "Chatteris", community},
			{"Whittlesey Health Centre", "Whittlesey", community},
			{"Ramsey Community Clinic", "Ramsey", community},
			{"St Ives Community Team base", "St Ives", community},
			{"Littleport Clinic", "Littleport", community},
			{"Soham Community Team base", "Soham", community},
			{"Doddington Community Team base", "Doddington", community},
			{"Sawtry Clinic", "Sawtry", community},
			{"Warboys Community Team base", "Warboys", community},
			{"Fenland Valley headquarters", "March", office},
		},
	},
	{
		Partner: partners.Partner{Slug: "ouse-and-nene-mental-health", Type: partners.NHSTrust,
			Name: "Ouse and Nene Mental Health NHS Trust (fictional)",
			About: "Ouse and Nene Mental Health provides the fictional region's mental health, learning disability " +
				"and neurodevelopmental services, from inpatient wards in Cambridge and Peterborough to community " +
				"teams, crisis services and talking therapies. We value lived experience and employ peer workers in " +
				"every service."},
		Prefix: "ONM", Domain: "ouse-nene-mh.example", Profiles: []string{mental}, Count: 55,
		Sites: []site{
			{"Ferrymead Unit", "Cambridge", ward},
			{"Nene Crescent Centre", "Peterborough", ward},
			{"Huntingdon Community Mental Health Team", "Huntingdon", community},
			{"St Neots Community Mental Health Team", "St Neots", community},
			{"Wisbech Community Mental Health Team", "Wisbech", community},
			{"Ely Community Mental Health Team", "Ely", community},
			{"Fulbourn Recovery College", "Fulbourn", community},
			{"Ouse and Nene offices", "Cambridge", office},
		},
	},
	{
		Partner: partners.Partner{Slug: "east-fens-ambulance", Type: partners.Ambulance,
			Name: "East Fens Ambulance Service NHS Trust (fictional)",
			About: "East Fens Ambulance Service answers the fictional region's 999 calls and runs its emergency and " +
				"non-emergency patient transport. Our crews work from stations across Cambridgeshire and " +
				"Peterborough, supported by an emergency operations centre in Cambourne that handles more than a " +
				"thousand calls a day."},
		Prefix: "EFA", Domain: "east-fens-ambulance.example", Profiles: []string{ambulance}, Count: 45,
		Sites: []site{
			{"Peterborough Ambulance Station", "Peterborough", community},
			{"Cambridge Ambulance Station", "Cambridge", community},
			{"Huntingdon Ambulance Station", "Huntingdon", community},
			{"Ely Ambulance Station", "Ely", community},
			{"Wisbech Ambulance Station", "Wisbech", community},
			{"March Ambulance Station", "March", community},
			{"St Neots Ambulance Station", "St Neots", community},
			{"East Fens Emergency Operations Centre", "Cambourne", office},
		},
	},
	{
		Partner: partners.Partner{Slug: "fenshire-county-council", Type: partners.Council,
			Name: "Fenshire County Council (fictional)",
			About: "Fenshire County Council's adult social care teams support older people, disabled adults and " +
				"carers across the fictional county: assessment, reablement, occupational therapy, safeguarding and " +
				"hospital discharge. We offer hybrid working, a generous pension and a strong practice development " +
				"programme for social workers at every stage."},
		Prefix: "FCC", Domain: "fenshire.example", Profiles: []string{council}, Count: 30,
		Sites: []site{
			{"Fenshire Shire Hall Hub", "Cambridge", office},
			{"Huntingdon Area Office", "Huntingdon", community},
			{"Ely Area Office", "Ely", community},
			{"March Area Office", "March", community},
			{"St Neots Locality Hub", "St Neots", community},
			{"Cambourne Locality Hub", "Cambourne", community},
			{"St Ives Locality Hub", "St Ives", community},
		},
	},
	{
		Partner: partners.Partner{Slug: "medeshamstede-city-council", Type: partners.Council,
			Name: "Medeshamstede City Council (fictional)",
			About: "Medeshamstede City Council, named after Peterborough's Anglo-Saxon name, is the fictional " +
				"unitary council for the city and its villages. Our adult social care and early help teams work " +
				"from the city centre and locality hubs, with a focus on keeping people independent at home."},
		Prefix: "MCC", Domain: "medeshamstede.example", Profiles: []string{council}, Count: 22,
		Sites: []site{
			{"Medeshamstede Town Hall", "Peterborough", office},
			{"Werrington Locality Hub", "Werrington", community},
			{"Yaxley Locality Hub", "Yaxley", community},
			{"Thorney Outreach Base", "Thorney", community},
			{"Stanground Locality Hub", "Stanground", community},
		},
	},
	{
		Partner: partners.Partner{Slug: "larkfen-pcn", Type: partners.PrimaryCare,
			Name: "Larkfen Primary Care Network (fictional)",
			About: "Larkfen Primary Care Network brings together five fictional GP practices in March, Chatteris, " +
				"Whittlesey and Doddington, serving 58,000 patients. Our additional roles team of pharmacists, " +
				"paramedics, physiotherapists, social prescribers and care coordinators works across all the practices."},
		Prefix: "LPC", Domain: "larkfen-pcn.example", Profiles: []string{pcn, gp}, Count: 22,
		Sites: []site{
			{"Larkfen Surgery", "March", community},
			{"Chatteris Medical Centre", "Chatteris", community},
			{"Whittlesey Health Centre practice", "Whittlesey", community},
			{"Doddington Surgery", "Doddington", community},
			{"Manea branch surgery", "Manea", community},
			{"Larkfen PCN office", "March", office},
		},
	},
	{
		Partner: partners.Partner{Slug: "millwater-lane-surgery", Type: partners.PrimaryCare,
			Name: "Millwater Lane Surgery (fictional)",
			About: "Millwater Lane Surgery is a fictional training practice of 14,000 patients in Soham with a branch " +
				"surgery in Fordham. We are a friendly team of six GP partners, salaried GPs, nurses and a busy " +
				"reception team, rated good across the board."},
		Prefix: "MLS", Domain: "millwater-lane-surgery.example", Profiles: []string{gp}, Count: 10,
		Sites: []site{{"Millwater Lane Surgery", "Soham", community}, {"Fordham branch surgery", "Fordham", community}},
	},
	{
		Partner: partners.Partner{Slug: "beckbrook-medical-practice", Type: partners.PrimaryCare,
			Name: "Beckbrook Medical Practice (fictional)",
			About: "Beckbrook Medical Practice looks after 19,000 patients in St Ives, Somersham and Hemingford Grey. " +
				"The fictional practice has a strong nursing team, an in-house minor surgery service and a reputation " +
				"for supporting staff to develop, from apprentices to advanced practitioners."},
		Prefix: "BMP", Domain: "beckbrook-medical.example", Profiles: []string{gp}, Count: 10,
		Sites: []site{
			{"Beckbrook Medical Practice", "St Ives", community},
			{"Somersham branch surgery", "Somersham", community},
			{"Hemingford Grey branch surgery", "Hemingford Grey", community},
		},
	},
	{
		Partner: partners.Partner{Slug: "stourgate-health-centre", Type: partners.PrimaryCare,
			Name: "Stourgate Health Centre (fictional)",
			About: "Stourgate Health Centre is a fictional modern practice serving the growing communities of " +
				"Cambourne and Papworth Everard. We have 11,000 patients, many of them young families, and a " +
				"purpose-built health centre shared with community services."},
		Prefix: "SHC", Domain: "stourgate-health.example", Profiles: []string{gp}, Count: 10,
		Sites: []site{{"Stourgate Health Centre", "Cambourne", community}, {"Papworth branch surgery", "Papworth Everard", community}},
	},
	{
		Partner: partners.Partner{Slug: "wickenfield-family-practice", Type: partners.PrimaryCare,
			Name: "Wickenfield Family Practice (fictional)",
			About: "Wickenfield Family Practice is a fictional rural dispensing practice for 9,000 patients in Sawston, " +
				"Linton and the surrounding villages. Our small team knows its patients well and works closely with " +
				"local care homes and the community nursing team."},
		Prefix: "WFP", Domain: "wickenfield-practice.example", Profiles: []string{gp}, Count: 9,
		Sites: []site{{"Wickenfield Family Practice", "Sawston", community}, {"Linton surgery", "Linton", community}},
	},
	{
		Partner: partners.Partner{Slug: "quillfen-care-homes", Type: partners.CareProvider,
			Name: "Quillfen Care Homes (fictional)",
			About: "Quillfen Care Homes is a fictional family-run group of five residential care homes in East " +
				"Cambridgeshire, caring for older people including people living with dementia. Each home has between " +
				"30 and 60 residents, its own garden and a cook who bakes every day."},
		Prefix: "QCH", Domain: "quillfen-care.example", Profiles: []string{careHome}, Count: 30,
		Sites: []site{
			{"Quillfen House", "Ely", ward},
			{"Quillfen Lodge", "Littleport", ward},
			{"Quillfen Court", "Soham", ward},
			{"Quillfen Gardens", "Bottisham", ward},
			{"Quillfen Grange", "Burwell", ward},
		},
	},
	{
		Partner: partners.Partner{Slug: "fenlight-care-group", Type: partners.CareProvider,
			Name: "Fenlight Care Group (fictional)",
			About: "Fenlight Care Group runs five fictional nursing and residential homes across Fenland and " +
				"Peterborough, offering nursing care, dementia care and respite. We pay above the Real Living Wage, " +
				"fund care qualifications and have promoted most of our home managers from within."},
		Prefix: "FCG", Domain: "fenlight-care.example", Profiles: []string{careHome, nursingHome}, Count: 30,
		Sites: []site{
			{"Fenlight Manor", "Wisbech", ward},
			{"Fenlight View", "March", ward},
			{"Fenlight Mere", "Whittlesey", ward},
			{"Fenlight Park", "Yaxley", ward},
			{"Fenlight Abbey", "Thorney", ward},
		},
	},
	{
		Partner: partners.Partner{Slug: "teasel-lane-home-care", Type: partners.CareProvider,
			Name: "Teasel Lane Home Care (fictional)",
			About: "Teasel Lane Home Care is a fictional home care agency supporting 300 people to live well in their " +
				"own homes across Huntingdonshire, from short reablement visits to complex care. We pay for travel " +
				"time and mileage, plan rounds by village to keep driving down and never send carers out untrained."},
		Prefix: "TLH", Domain: "teasel-lane-homecare.example", Profiles: []string{homeCare}, Count: 28,
		Sites: []site{
			{"Teasel Lane St Neots office", "St Neots", community},
			{"Teasel Lane Huntingdon team", "Huntingdon", community},
			{"Teasel Lane Godmanchester team", "Godmanchester", community},
			{"Teasel Lane Kimbolton team", "Kimbolton", community},
			{"Teasel Lane Buckden team", "Buckden", community},
			{"Teasel Lane Ramsey team", "Ramsey", community},
			{"Teasel Lane Great Staughton team", "Great Staughton", community},
			{"Teasel Lane Brampton team", "Brampton", community},
			{"Teasel Lane head office", "St Neots", office},
		},
	},
	{
		Partner: partners.Partner{Slug: "reedmace-supported-living", Type: partners.CareProvider,
			Name: "Reedmace Supported Living (fictional)",
			About: "Reedmace Supported Living is a fictional not-for-profit provider supporting adults with learning " +
				"disabilities and autistic adults in their own flats and shared houses in Cambridge, Histon, " +
				"Cottenham and Peterborough. Support is built around each person's goals, from work and college to " +
				"holidays."},
		Prefix: "RSL", Domain: "reedmace-living.example", Profiles: []string{supported}, Count: 18,
		Sites: []site{
			{"Reedmace Mill Road service", "Cambridge", ward},
			{"Reedmace Histon service", "Histon", ward},
			{"Reedmace Cottenham service", "Cottenham", ward},
			{"Reedmace Werrington service", "Werrington", ward},
			{"Reedmace Waterbeach service", "Waterbeach", ward},
			{"Reedmace office", "Cambridge", office},
		},
	},
	{
		Partner: partners.Partner{Slug: "larkmoor-house-hospice", Type: partners.Hospice,
			Name: "Larkmoor House Hospice (fictional)",
			About: "Larkmoor House Hospice is a fictional independent charity providing specialist palliative and end " +
				"of life care for people in Cambridge and South Cambridgeshire: a 16-bed inpatient unit, day therapy, " +
				"hospice at home and bereavement support. Our pay follows Agenda for Change for clinical roles."},
		Prefix: "LHH", Domain: "larkmoor-hospice.example", Profiles: []string{hospice}, Count: 18,
		Sites: []site{
			{"Larkmoor House inpatient unit", "Cambridge", ward},
			{"Larkmoor Hospice at Home team", "Linton", community},
			{"Larkmoor Hospice at Home team", "Histon", community},
			{"Larkmoor House offices", "Cambridge", office},
			{"Larkmoor House charity shop", "Sawston", shop},
			{"Larkmoor House charity shop", "Great Shelford", shop},
		},
	},
	{
		Partner: partners.Partner{Slug: "lantern-fen-hospice", Type: partners.Hospice,
			Name: "Lantern Fen Hospice (fictional)",
			About: "Lantern Fen Hospice is a fictional charity caring for adults with life-limiting illness in " +
				"Peterborough and Fenland, with an inpatient unit in Peterborough, a day hospice in Wisbech and " +
				"shops across the area that fund two thirds of our care."},
		Prefix: "LFH", Domain: "lantern-fen-hospice.example", Profiles: []string{hospice}, Count: 16,
		Sites: []site{
			{"Lantern Fen Hospice", "Peterborough", ward},
			{"Lantern Fen Day Hospice", "Wisbech", community},
			{"Lantern Fen community team", "Whittlesey", community},
			{"Lantern Fen support office", "Peterborough", office},
			{"Lantern Fen charity shop", "March", shop},
			{"Lantern Fen charity shop", "Chatteris", shop},
			{"Lantern Fen charity shop", "Eye", shop},
		},
	},
	{
		Partner: partners.Partner{Slug: "lodestar-fens-wellbeing", Type: partners.Charity,
			Name: "Lodestar Fens Wellbeing (fictional)",
			About: "Lodestar Fens Wellbeing is a fictional local mental health charity offering peer support, " +
				"crisis cafés, employment support and counselling in Peterborough, Huntingdon, Cambridge and Wisbech. " +
				"Half of our staff have lived experience of mental ill health."},
		Prefix: "LFW", Domain: "lodestar-fens.example", Profiles: []string{charity, mhCharity}, Count: 12,
		Sites: []site{
			{"Lodestar Peterborough hub", "Peterborough", community},
			{"Lodestar Huntingdon hub", "Huntingdon", community},
			{"Lodestar Cambridge crisis café", "Cambridge", community},
			{"Lodestar Wisbech hub", "Wisbech", community},
			{"Lodestar office", "Peterborough", office},
		},
	},
	{
		Partner: partners.Partner{Slug: "fenward-carers-network", Type: partners.Charity,
			Name: "Fenward Carers Network (fictional)",
			About: "Fenward Carers Network is a fictional charity supporting unpaid carers of all ages across the " +
				"region with advice, breaks, young carers' groups and a hospital carers' service. We work from " +
				"community hubs and offer flexible, family-friendly hours."},
		Prefix: "FCN", Domain: "fenward-carers.example", Profiles: []string{charity, carersCharity}, Count: 10,
		Sites: []site{
			{"Fenward Ely hub", "Ely", community},
			{"Fenward March hub", "March", community},
			{"Fenward St Neots hub", "St Neots", community},
			{"Fenward Cambridge hub", "Cambridge", community},
			{"Fenward office", "Ely", office},
		},
	},
}

// partner is the row to upsert: the website always follows the domain.
func (p demoPartner) partner() partners.Partner {
	row := p.Partner
	row.Website = "https://" + p.Domain
	row.Active = true
	return row
}
