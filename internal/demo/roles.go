package demo

// role is one kind of job in the catalogue. The generator picks roles by
// weight among those a partner's profiles advertise, then varies the title,
// contract, pattern, hours, pay text and description.
type role struct {
	Title    string   // may hold "{area}", which is then always filled
	Areas    []string // teams or specialities; one is usually added to the title
	Family   string   // picks the description phrases in text.go
	Group    string   // a vacancies.StaffGroups slug
	Pay      payRule
	At       []string // partner profiles that advertise the role
	Weight   int
	Base     string // site kind the role works from
	Shifts   bool   // may be nights or weekends
	Multi    bool   // may cover two or three bases
	Contract string // fixed contract (apprenticeship, rotation, bank); "" lets the generator choose
	TermTime bool   // may be term time only
}

// payRule is either an Agenda for Change band or a stated range per year or hour.
type payRule struct {
	Band     string
	Min, Max float64
	Period   string // "year" or "hour" when not banded
	Note     string // "NHS Consultant Scale", "Grade P3"
	Fixed    bool   // a published scale, so every employer pays the same
}

func afc(band string) payRule { return payRule{Band: band} }
func yearly(lo, hi float64, note string) payRule {
	return payRule{Min: lo, Max: hi, Period: "year", Note: note}
}
func scale(lo, hi float64, note string) payRule {
	return payRule{Min: lo, Max: hi, Period: "year", Note: note, Fixed: true}
}
func hourly(lo, hi float64, note string) payRule {
	return payRule{Min: lo, Max: hi, Period: "hour", Note: note}
}

// Staff groups.
const (
	nursingG  = "nursing-midwifery"
	ahpG      = "allied-health"
	medicalG  = "medical-dental"
	scienceG  = "healthcare-science"
	technical = "scientific-technical"
	clinicalG = "additional-clinical"
	adminG    = "admin-clerical"
	estatesG  = "estates-ancillary"
	socialG   = "social-care"
)

// Pay outside Agenda for Change, 2025/26: the medical scales as NHS
// Employers publishes them, the rest typical of the region's employers.
var (
	consultantScale = scale(109725, 145478, "NHS Consultant Scale")
	specialtyDoctor = scale(61542, 99216, "Specialty Doctor (2021) pay scale")
	specialistScale = scale(100870, 114494, "Specialist (2021) pay scale")
	salariedGP      = scale(76038, 114743, "BMA model contract range")
)

var (
	acuteWards = []string{"Emergency Department", "Acute Medical Unit", "Ward 7 (Respiratory)", "Ward 12 (Elderly Care)",
		"Stroke Unit", "Cardiology", "Trauma and Orthopaedics", "General Surgery", "Critical Care", "Children's Ward",
		"Oncology and Haematology", "Same Day Emergency Care", "Gastroenterology", "Renal Unit", "Day Surgery Unit"}
	communityTeams = []string{"Neighbourhood Team", "Integrated Care Team", "Rapid Response", "Virtual Ward",
		"Community Rehabilitation", "Night Nursing Service", "Intermediate Care"}
	mentalTeams = []string{"Acute Adult Ward", "Older People's Ward", "Psychiatric Intensive Care Unit",
		"Crisis Resolution and Home Treatment", "Community Mental Health Team", "Early Intervention in Psychosis",
		"Perinatal Mental Health", "CAMHS", "Learning Disability Service", "Eating Disorders Service"}
	medicalSpecialties = []string{"Emergency Medicine", "Acute Medicine", "Geriatric Medicine", "Respiratory Medicine",
		"Cardiology", "Gastroenterology", "Anaesthesia", "Trauma and Orthopaedic Surgery", "General Surgery",
		"Obstetrics and Gynaecology", "Paediatrics", "Radiology", "Histopathology", "Clinical Oncology", "Dermatology",
		"Ophthalmology", "Rheumatology", "Haematology", "Stroke Medicine", "Intensive Care Medicine"}
	psychiatry = []string{"General Adult Psychiatry", "Old Age Psychiatry", "Child and Adolescent Psychiatry",
		"Perinatal Psychiatry", "Liaison Psychiatry", "Psychiatry of Learning Disability"}
	theatres      = []string{"Main Theatres", "Day Surgery", "Obstetric Theatres", "Orthopaedic Theatres", "Recovery"}
	pathology     = []string{"Blood Sciences", "Microbiology", "Haematology and Transfusion", "Cellular Pathology"}
	therapyAreas  = []string{"Respiratory", "Neurology", "MSK Outpatients", "Trauma and Orthopaedics", "Elderly Care", "Paediatrics"}
	adminAreas    = []string{"Outpatients", "Cardiology", "Orthopaedics", "Paediatrics", "Oncology", "Maternity", "Radiology"}
	nurseSpecs    = []string{"Diabetes", "Tissue Viability", "Heart Failure", "Respiratory", "Infection Prevention and Control", "Parkinson's", "Continence", "Frailty"}
	midwifery     = []string{"Labour Ward", "Birth Centre", "Community Midwifery", "Antenatal Clinic", "Postnatal Ward"}
	socialTeams   = []string{"Adult Locality Team", "Hospital Discharge Team", "Learning Disability Partnership", "Safeguarding Adults Hub", "Reablement", "Transitions Team"}
	careUnits     = []string{"Dementia Unit", "Residential Unit", "Respite"}
	hospiceAreas  = []string{"Inpatient Unit", "Hospice at Home", "Day Therapy"}
	recoveryAreas = []string{"Crisis Café", "Employment Support", "Recovery Groups"}
	carersAreas   = []string{"Hospital Carers Service", "Adult Carers", "Carers Breaks"}
	officeAreas   = []string{"Workforce", "Finance", "Operations", "Quality and Safety", "Digital", "Estates and Facilities"}
	ambulanceBase = []string{"A&E Operations", "Urgent Care", "Patient Transport Service"}
)

var nhs = []string{acute, communityHS, mental}

// catalogue lists every role the demo advertises.
var catalogue = []role{
	// Nursing and midwifery
	{Title: "Staff Nurse", Areas: acuteWards, Family: "nursing", Group: nursingG, Pay: afc("5"), At: []string{acute}, Weight: 16, Base: ward, Shifts: true},
	{Title: "Rotational Staff Nurse – Acute and Community", Family: "nursing", Group: nursingG, Pay: afc("5"), At: []string{acute}, Weight: 3, Base: ward, Multi: true, Contract: "rotation"},
	{Title: "Senior Staff Nurse", Areas: acuteWards, Family: "nursing", Group: nursingG, Pay: afc("6"), At: []string{acute}, Weight: 7, Base: ward, Shifts: true},
	{Title: "Ward Sister / Charge Nurse", Areas: acuteWards, Family: "nursing", Group: nursingG, Pay: afc("7"), At: []string{acute}, Weight: 3, Base: ward},
	{Title: "Theatre Practitioner (Scrub Nurse)", Areas: theatres, Family: "nursing", Group: nursingG, Pay: afc("5"), At: []string{acute}, Weight: 3, Base: ward, Shifts: true},
	{Title: "Registered Midwife", Areas: midwifery, Family: "midwifery", Group: nursingG, Pay: afc("6"), At: []string{acute}, Weight: 5, Base: ward, Shifts: true},
	{Title: "Newly Qualified Midwife", Areas: midwifery, Family: "midwifery", Group: nursingG, Pay: afc("5"), At: []string{acute}, Weight: 2, Base: ward, Shifts: true},
	{Title: "Clinical Nurse Specialist – {area}", Areas: nurseSpecs, Family: "nursing", Group: nursingG, Pay: afc("7"), At: []string{acute, communityHS}, Weight: 3, Base: community},
	{Title: "Advanced Nurse Practitioner", Areas: []string{"Emergency Department", "Frailty", "Urgent Treatment Centre", "Same Day Emergency Care"}, Family: "nursing", Group: nursingG, Pay: afc("8a"), At: []string{acute, communityHS}, Weight: 2, Base: ward},
	{Title: "Lead Nurse – Safeguarding Adults", Family: "nursing", Group: nursingG, Pay: afc("8b"), At: nhs, Weight: 1, Base: office},
	{Title: "Associate Director of Nursing", Areas: []string{"Patient Experience", "Medicine Division", "Surgery Division"}, Family: "leadership", Group: nursingG, Pay: afc("8c"), At: []string{acute}, Weight: 1, Base: office},
	{Title: "Community Staff Nurse", Areas: communityTeams, Family: "nursing", Group: nursingG, Pay: afc("5"), At: []string{communityHS}, Weight: 8, Base: community, Multi: true, Shifts: true},
	{Title: "District Nurse", Areas: communityTeams, Family: "nursing", Group: nursingG, Pay: afc("6"), At: []string{communityHS}, Weight: 5, Base: community, Multi: true},
	{Title: "Community Nursing Team Leader", Family: "nursing", Group: nursingG, Pay: afc("7"), At: []string{communityHS}, Weight: 2, Base: community},
	{Title: "School Nurse", Family: "nursing", Group: nursingG, Pay: afc("6"), At: []string{communityHS}, Weight: 2, Base: community, Multi: true, TermTime: true},
	{Title: "Health Visitor", Family: "nursing", Group: nursingG, Pay: afc("6"), At: []string{communityHS}, Weight: 2, Base: community, Multi: true},
	{Title: "Registered Mental Health Nurse", Areas: mentalTeams, Family: "nursing", Group: nursingG, Pay: afc("5"), At: []string{mental}, Weight: 8, Base: ward, Shifts: true},
	{Title: "Community Mental Health Nurse", Areas: []string{"Adult Community Team", "Older People's Community Team", "Early Intervention in Psychosis", "Crisis Resolution and Home Treatment"}, Family: "nursing", Group: nursingG, Pay: afc("6"), At: []string{mental}, Weight: 4, Base: community, Multi: true},
	{Title: "Registered Learning Disability Nurse", Family: "nursing", Group: nursingG, Pay: afc("5"), At: []string{mental, communityHS}, Weight: 2, Base: community},
	{Title: "Nursing Associate", Areas: acuteWards, Family: "nursing", Group: nursingG, Pay: afc("4"), At: nhs, Weight: 4, Base: ward, Shifts: true},
	{Title: "Trainee Nursing Associate", Family: "support", Group: nursingG, Pay: afc("3"), At: nhs, Weight: 2, Base: ward, Contract: "apprenticeship"},
	{Title: "Hospice Staff Nurse", Areas: hospiceAreas, Family: "nursing", Group: nursingG, Pay: afc("5"), At: []string{hospice}, Weight: 4, Base: ward, Shifts: true},
	{Title: "Clinical Nurse Specialist – Palliative Care", Family: "nursing", Group: nursingG, Pay: afc("7"), At: []string{hospice}, Weight: 2, Base: community, Multi: true},
	{Title: "Practice Nurse", Family: "nursing", Group: nursingG, Pay: yearly(34500, 41000, "depending on experience"), At: []string{gp}, Weight: 4, Base: community},
	{Title: "Advanced Nurse Practitioner – Primary Care", Family: "nursing", Group: nursingG, Pay: afc("8a"), At: []string{pcn, gp}, Weight: 1, Base: community},
	{Title: "Registered Nurse", Areas: []string{"Nursing Unit", "Dementia Nursing", "Respite and Recovery"}, Family: "nursing", Group: nursingG, Pay: hourly(21.5, 24, ""), At: []string{nursingHome}, Weight: 6, Base: ward, Shifts: true},
	{Title: "Clinical Lead Nurse", Family: "nursing", Group: nursingG, Pay: yearly(47000, 51500, ""), At: []string{nursingHome}, Weight: 1, Base: ward},
	{Title: "Clinical Hub Nurse", Family: "control", Group: nursingG, Pay: afc("6"), At: []string{ambulance}, Weight: 2, Base: office, Shifts: true},

	// Additional clinical services
	{Title: "Healthcare Support Worker", Areas: acuteWards, Family: "support", Group: clinicalG, Pay: afc("3"), At: []string{acute, communityHS}, Weight: 12, Base: ward, Shifts: true},
	{Title: "Senior Healthcare Support Worker", Areas: acuteWards, Family: "support", Group: clinicalG, Pay: afc("4"), At: []string{acute}, Weight: 3, Base: ward, Shifts: true},
	{Title: "Healthcare Support Worker Apprentice", Family: "support", Group: clinicalG, Pay: afc("2"), At: nhs, Weight: 2, Base: ward, Contract: "apprenticeship"},
	{Title: "Maternity Support Worker", Family: "support", Group: clinicalG, Pay: afc("3"), At: []string{acute}, Weight: 2, Base: ward, Shifts: true},
	{Title: "Phlebotomist", Areas: []string{"Outpatients", "Ward Phlebotomy", "Community Clinics"}, Family: "support", Group: clinicalG, Pay: afc("3"), At: []string{acute, communityHS}, Weight: 3, Base: community},
	{Title: "Theatre Support Worker", Areas: theatres, Family: "support", Group: clinicalG, Pay: afc("3"), At: []string{acute}, Weight: 2, Base: ward, Shifts: true},
	{Title: "Rehabilitation Assistant", Areas: therapyAreas, Family: "support", Group: clinicalG, Pay: afc("3"), At: []string{acute, communityHS}, Weight: 2, Base: community},
	{Title: "Assistant Practitioner", Areas: communityTeams, Family: "support", Group: clinicalG, Pay: afc("4"), At: []string{communityHS}, Weight: 3, Base: community, Multi: true},
	{Title: "Mental Health Support Worker", Areas: mentalTeams, Family: "support", Group: clinicalG, Pay: afc("3"), At: []string{mental}, Weight: 6, Base: ward, Shifts: true},
	{Title: "Peer Support Worker", Areas: mentalTeams, Family: "peer", Group: clinicalG, Pay: afc("4"), At: []string{mental}, Weight: 2, Base: community},
	{Title: "Hospice Healthcare Assistant", Areas: hospiceAreas, Family: "support", Group: clinicalG, Pay: afc("3"), At: []string{hospice}, Weight: 3, Base: ward, Shifts: true},
	{Title: "Healthcare Assistant", Family: "support", Group: clinicalG, Pay: hourly(12.8, 14.1, ""), At: []string{gp}, Weight: 2, Base: community},
	{Title: "Dispenser", Family: "pharmacy", Group: clinicalG, Pay: hourly(12.7, 13.9, ""), At: []string{gp}, Weight: 1, Base: community},
	{Title: "Social Prescribing Link Worker", Family: "peer", Group: clinicalG, Pay: afc("4"), At: []string{pcn}, Weight: 2, Base: community, Multi: true},
	{Title: "Health and Wellbeing Coach", Family: "peer", Group: clinicalG, Pay: afc("4"), At: []string{pcn}, Weight: 1, Base: community},
	{Title: "Emergency Medical Technician", Areas: ambulanceBase[:2], Family: "ambulance", Group: clinicalG, Pay: afc("4"), At: []string{ambulance}, Weight: 5, Base: community, Shifts: true},
	{Title: "Associate Ambulance Practitioner", Family: "ambulance", Group: clinicalG, Pay: afc("4"), At: []string{ambulance}, Weight: 2, Base: community, Shifts: true},
	{Title: "Ambulance Care Assistant – Patient Transport Service", Family: "ambulance", Group: clinicalG, Pay: afc("3"), At: []string{ambulance}, Weight: 4, Base: community, Shifts: true},
	{Title: "Ambulance Support Worker Apprentice", Family: "ambulance", Group: clinicalG, Pay: afc("3"), At: []string{ambulance}, Weight: 1, Base: community, Contract: "apprenticeship"},

	// Allied health professionals
	{Title: "Rotational Physiotherapist", Family: "ahp", Group: ahpG, Pay: afc("5"), At: []string{acute}, Weight: 3, Base: ward, Multi: true, Contract: "rotation"},
	{Title: "Physiotherapist", Areas: therapyAreas, Family: "ahp", Group: ahpG, Pay: afc("6"), At: []string{acute, communityHS}, Weight: 4, Base: community},
	{Title: "Hospice Physiotherapist", Family: "ahp", Group: ahpG, Pay: afc("6"), At: []string{hospice}, Weight: 1, Base: ward},
	{Title: "Hospice Occupational Therapist", Family: "ahp", Group: ahpG, Pay: afc("6"), At: []string{hospice}, Weight: 1, Base: community},
	{Title: "Occupational Therapist", Areas: therapyAreas, Family: "ahp", Group: ahpG, Pay: afc("5"), At: []string{acute, communityHS}, Weight: 3, Base: ward},
	{Title: "Senior Occupational Therapist", Areas: []string{"Community Rehabilitation", "Adult Mental Health", "Older People's Mental Health", "Hand Therapy"}, Family: "ahp", Group: ahpG, Pay: afc("6"), At: []string{communityHS, mental, acute}, Weight: 3, Base: community},
	{Title: "Speech and Language Therapist", Areas: []string{"Adult Acquired Disorders", "Dysphagia", "Children's Service"}, Family: "ahp", Group: ahpG, Pay: afc("6"), At: []string{acute, communityHS}, Weight: 2, Base: community, TermTime: true},
	{Title: "Diagnostic Radiographer", Family: "ahp", Group: ahpG, Pay: afc("5"), At: []string{acute}, Weight: 3, Base: ward, Shifts: true},
	{Title: "CT Radiographer", Family: "ahp", Group: ahpG, Pay: afc("6"), At: []string{acute}, Weight: 1, Base: ward, Shifts: true},
	{Title: "Sonographer", Family: "ahp", Group: ahpG, Pay: afc("7"), At: []string{acute}, Weight: 1, Base: community},
	{Title: "Dietitian", Areas: []string{"Adult Acute", "Diabetes", "Paediatrics", "Community"}, Family: "ahp", Group: ahpG, Pay: afc("5"), At: []string{acute, communityHS}, Weight: 2, Base: community},
	{Title: "Podiatrist", Family: "ahp", Group: ahpG, Pay: afc("6"), At: []string{communityHS}, Weight: 2, Base: community, Multi: true},
	{Title: "Operating Department Practitioner", Areas: theatres, Family: "ahp", Group: ahpG, Pay: afc("5"), At: []string{acute}, Weight: 4, Base: ward, Shifts: true},
	{Title: "Senior Operating Department Practitioner", Areas: theatres, Family: "ahp", Group: ahpG, Pay: afc("6"), At: []string{acute}, Weight: 1, Base: ward, Shifts: true},
	{Title: "Paramedic", Areas: ambulanceBase[:2], Family: "ambulance", Group: ahpG, Pay: afc("6"), At: []string{ambulance}, Weight: 8, Base: community, Shifts: true},
	{Title: "Newly Qualified Paramedic", Family: "ambulance", Group: ahpG, Pay: afc("5"), At: []string{ambulance}, Weight: 4, Base: community, Shifts: true},
	{Title: "Specialist Paramedic – Urgent Care", Family: "ambulance", Group: ahpG, Pay: afc("7"), At: []string{ambulance}, Weight: 2, Base: community, Shifts: true},
	{Title: "Rotational Paramedic – Ambulance and Primary Care", Family: "ambulance", Group: ahpG, Pay: afc("6"), At: []string{ambulance}, Weight: 1, Base: community, Multi: true, Contract: "rotation"},
	{Title: "First Contact Physiotherapist", Family: "ahp", Group: ahpG, Pay: afc("7"), At: []string{pcn}, Weight: 1, Base: community, Multi: true},
	{Title: "Paramedic Practitioner – Primary Care", Family: "ahp", Group: ahpG, Pay: afc("7"), At: []string{pcn}, Weight: 1, Base: community, Multi: true},
	{Title: "Occupational Therapist – Adult Social Care", Family: "ahp", Group: ahpG, Pay: scale(36124, 40476, "Grade P3"), At: []string{council}, Weight: 3, Base: community, Multi: true},

	// Medical and dental
	{Title: "Consultant in {area}", Areas: medicalSpecialties, Family: "medical", Group: medicalG, Pay: consultantScale, At: []string{acute}, Weight: 5, Base: ward},
	{Title: "Specialty Doctor in {area}", Areas: medicalSpecialties, Family: "medical", Group: medicalG, Pay: specialtyDoctor, At: []string{acute}, Weight: 3, Base: ward, Shifts: true},
	{Title: "Specialist in {area}", Areas: medicalSpecialties[:6], Family: "medical", Group: medicalG, Pay: specialistScale, At: []string{acute}, Weight: 1, Base: ward},
	{Title: "Consultant Psychiatrist – {area}", Areas: psychiatry, Family: "medical", Group: medicalG, Pay: consultantScale, At: []string{mental}, Weight: 3, Base: community},
	{Title: "Specialty Doctor – Psychiatry", Family: "medical", Group: medicalG, Pay: specialtyDoctor, At: []string{mental}, Weight: 1, Base: ward},
	{Title: "Consultant in Palliative Medicine", Family: "medical", Group: medicalG, Pay: consultantScale, At: []string{hospice}, Weight: 1, Base: ward},
	{Title: "Specialty Doctor – Palliative Medicine", Family: "medical", Group: medicalG, Pay: specialtyDoctor, At: []string{hospice}, Weight: 1, Base: ward},
	{Title: "Salaried GP", Family: "medical", Group: medicalG, Pay: salariedGP, At: []string{gp}, Weight: 4, Base: community},

	// Healthcare scientists
	{Title: "Biomedical Scientist", Areas: pathology, Family: "science", Group: scienceG, Pay: afc("5"), At: []string{acute}, Weight: 3, Base: ward, Shifts: true},
	{Title: "Specialist Biomedical Scientist", Areas: pathology, Family: "science", Group: scienceG, Pay: afc("6"), At: []string{acute}, Weight: 2, Base: ward, Shifts: true},
	{Title: "Medical Laboratory Assistant", Areas: pathology, Family: "science", Group: scienceG, Pay: afc("2"), At: []string{acute}, Weight: 2, Base: ward, Shifts: true},
	{Title: "Associate Practitioner – Pathology", Family: "science", Group: scienceG, Pay: afc("4"), At: []string{acute}, Weight: 1, Base: ward},
	{Title: "Cardiac Physiologist", Family: "science", Group: scienceG, Pay: afc("5"), At: []string{acute}, Weight: 2, Base: community},
	{Title: "Respiratory Physiologist", Family: "science", Group: scienceG, Pay: afc("6"), At: []string{acute}, Weight: 1, Base: community},
	{Title: "Audiologist", Family: "science", Group: scienceG, Pay: afc("5"), At: []string{acute, communityHS}, Weight: 2, Base: community},
	{Title: "Clinical Scientist – Medical Physics", Family: "science", Group: scienceG, Pay: afc("7"), At: []string{acute}, Weight: 1, Base: ward},
	{Title: "Healthcare Science Assistant – ECG", Family: "science", Group: scienceG, Pay: afc("3"), At: []string{acute}, Weight: 1, Base: community},

	// Scientific and technical
	{Title: "Pharmacist", Areas: []string{"Medicines Optimisation", "Acute Medicine", "Surgery", "Antimicrobials", "Aseptic Services"}, Family: "pharmacy", Group: technical, Pay: afc("7"), At: []string{acute, mental}, Weight: 3, Base: ward},
	{Title: "Rotational Pharmacist", Family: "pharmacy", Group: technical, Pay: afc("6"), At: []string{acute}, Weight: 1, Base: ward, Contract: "rotation"},
	{Title: "Pharmacy Technician", Family: "pharmacy", Group: technical, Pay: afc("5"), At: []string{acute, mental, pcn}, Weight: 2, Base: ward},
	{Title: "Pharmacy Assistant", Family: "pharmacy", Group: technical, Pay: afc("3"), At: []string{acute}, Weight: 1, Base: ward},
	{Title: "Clinical Pharmacist", Family: "pharmacy", Group: technical, Pay: afc("7"), At: []string{pcn}, Weight: 2, Base: community, Multi: true},
	{Title: "Chief Pharmacist", Family: "leadership", Group: technical, Pay: afc("8d"), At: []string{acute}, Weight: 1, Base: office},
	{Title: "Clinical Psychologist", Areas: mentalTeams, Family: "psychology", Group: technical, Pay: afc("8a"), At: []string{mental}, Weight: 2, Base: community},
	{Title: "Consultant Clinical Psychologist", Family: "psychology", Group: technical, Pay: afc("8c"), At: []string{mental}, Weight: 1, Base: community},
	{Title: "Assistant Psychologist", Family: "psychology", Group: technical, Pay: afc("4"), At: []string{mental}, Weight: 2, Base: community},
	{Title: "Psychological Wellbeing Practitioner", Family: "psychology", Group: technical, Pay: afc("5"), At: []string{mental}, Weight: 2, Base: community, Multi: true},
	{Title: "Counsellor", Areas: []string{"Bereavement Service", "Adult Counselling", "Young People's Service"}, Family: "psychology", Group: technical, Pay: yearly(29500, 32500, ""), At: []string{charity, hospice}, Weight: 2, Base: community},

	// Administrative and clerical
	{Title: "Medical Secretary", Areas: adminAreas, Family: "admin", Group: adminG, Pay: afc("4"), At: nhs, Weight: 5, Base: office},
	{Title: "Ward Clerk", Areas: acuteWards, Family: "admin", Group: adminG, Pay: afc("2"), At: []string{acute}, Weight: 3, Base: ward},
	{Title: "Outpatient Receptionist", Family: "admin", Group: adminG, Pay: afc("2"), At: []string{acute}, Weight: 2, Base: community},
	{Title: "Patient Booking Coordinator", Areas: adminAreas, Family: "admin", Group: adminG, Pay: afc("3"), At: nhs, Weight: 3, Base: office},
	{Title: "Team Administrator", Areas: communityTeams, Family: "admin", Group: adminG, Pay: afc("3"), At: []string{communityHS, mental}, Weight: 2, Base: office, TermTime: true},
	{Title: "Business Administration Apprentice", Family: "admin", Group: adminG, Pay: afc("2"), At: []string{acute, communityHS, mental, ambulance}, Weight: 2, Base: office, Contract: "apprenticeship"},
	{Title: "HR Advisor", Family: "admin", Group: adminG, Pay: afc("5"), At: []string{acute, communityHS, ambulance}, Weight: 1, Base: office},
	{Title: "Information Analyst", Family: "admin", Group: adminG, Pay: afc("6"), At: nhs, Weight: 1, Base: office},
	{Title: "Project Manager", Areas: officeAreas, Family: "leadership", Group: adminG, Pay: afc("7"), At: nhs, Weight: 1, Base: office},
	{Title: "Service Manager", Areas: []string{"Planned Care", "Urgent Care", "Community Services", "Adult Mental Health"}, Family: "leadership", Group: adminG, Pay: afc("8a"), At: nhs, Weight: 1, Base: office},
	{Title: "Deputy Director of Workforce", Family: "leadership", Group: adminG, Pay: afc("8d"), At: []string{acute, ambulance}, Weight: 1, Base: office},
	{Title: "Deputy Chief Operating Officer", Family: "leadership", Group: adminG, Pay: afc("9"), At: []string{acute}, Weight: 1, Base: office},
	{Title: "Emergency Call Handler", Family: "control", Group: adminG, Pay: afc("3"), At: []string{ambulance}, Weight: 5, Base: office, Shifts: true},
	{Title: "Emergency Medical Dispatcher", Family: "control", Group: adminG, Pay: afc("4"), At: []string{ambulance}, Weight: 2, Base: office, Shifts: true},
	{Title: "Care Coordinator", Family: "admin", Group: adminG, Pay: afc("4"), At: []string{pcn}, Weight: 1, Base: office},
	{Title: "Medical Receptionist", Family: "admin", Group: adminG, Pay: hourly(12.6, 13.45, ""), At: []string{gp}, Weight: 5, Base: community},
	{Title: "Prescriptions Clerk", Family: "admin", Group: adminG, Pay: hourly(12.6, 13.2, ""), At: []string{gp}, Weight: 1, Base: community},
	{Title: "Practice Manager", Family: "leadership", Group: adminG, Pay: yearly(48000, 58000, ""), At: []string{gp}, Weight: 1, Base: office},
	{Title: "Business Support Officer", Areas: socialTeams, Family: "admin", Group: adminG, Pay: scale(24790, 26409, "Grade A5"), At: []string{council}, Weight: 2, Base: office, TermTime: true},
	{Title: "Care Coordinator – Home Care", Family: "admin", Group: adminG, Pay: yearly(26500, 28500, ""), At: []string{homeCare}, Weight: 2, Base: office},
	{Title: "Care Home Administrator", Family: "admin", Group: adminG, Pay: yearly(24000, 26000, ""), At: []string{careHome}, Weight: 1, Base: ward},
	{Title: "Hospice Shop Retail Assistant", Family: "retail", Group: adminG, Pay: hourly(12.6, 12.9, ""), At: []string{hospice}, Weight: 2, Base: shop},
	{Title: "Fundraising Officer", Family: "supporters", Group: adminG, Pay: yearly(27500, 30500, ""), At: []string{hospice, charity}, Weight: 1, Base: office},
	{Title: "Volunteer Coordinator", Family: "supporters", Group: adminG, Pay: yearly(26000, 28000, ""), At: []string{charity, hospice}, Weight: 1, Base: office},

	// Estates and ancillary
	{Title: "Porter", Areas: []string{"General Portering", "Emergency Department", "Theatres", "Pathology Transport"}, Family: "estates", Group: estatesG, Pay: afc("2"), At: []string{acute}, Weight: 4, Base: ward, Shifts: true},
	{Title: "Domestic Assistant", Family: "estates", Group: estatesG, Pay: afc("2"), At: []string{acute, communityHS, mental}, Weight: 4, Base: ward, Shifts: true},
	{Title: "Ward Housekeeper", Family: "estates", Group: estatesG, Pay: afc("2"), At: []string{acute}, Weight: 2, Base: ward},
	{Title: "Catering Assistant", Family: "estates", Group: estatesG, Pay: afc("2"), At: []string{acute}, Weight: 2, Base: ward},
	{Title: "Security Officer", Family: "estates", Group: estatesG, Pay: afc("3"), At: []string{acute}, Weight: 1, Base: ward, Shifts: true},
	{Title: "Electrician", Family: "estates", Group: estatesG, Pay: afc("5"), At: []string{acute, mental}, Weight: 2, Base: office},
	{Title: "Estates Maintenance Technician – Plumbing", Family: "estates", Group: estatesG, Pay: afc("4"), At: []string{acute, communityHS}, Weight: 1, Base: office},
	{Title: "Head of Estates and Facilities", Family: "leadership", Group: estatesG, Pay: afc("8c"), At: []string{acute, mental}, Weight: 1, Base: office},
	{Title: "Vehicle Preparation Operative", Family: "estates", Group: estatesG, Pay: afc("2"), At: []string{ambulance}, Weight: 2, Base: community, Shifts: true},
	{Title: "Fleet Technician", Family: "estates", Group: estatesG, Pay: afc("5"), At: []string{ambulance}, Weight: 1, Base: community},
	{Title: "Chef", Family: "estates", Group: estatesG, Pay: hourly(13.5, 15, ""), At: []string{careHome, hospice}, Weight: 2, Base: ward},
	{Title: "Kitchen Assistant", Family: "estates", Group: estatesG, Pay: hourly(12.6, 12.95, ""), At: []string{careHome}, Weight: 1, Base: ward},
	{Title: "Housekeeper", Family: "estates", Group: estatesG, Pay: hourly(12.6, 13.1, ""), At: []string{careHome, hospice}, Weight: 2, Base: ward},
	{Title: "Maintenance Person", Family: "estates", Group: estatesG, Pay: hourly(13.2, 14.5, ""), At: []string{careHome, supported}, Weight: 1, Base: ward},

	// Social care
	{Title: "Care Assistant", Areas: careUnits, Family: "care", Group: socialG, Pay: hourly(12.6, 14.5, ""), At: []string{careHome}, Weight: 10, Base: ward, Shifts: true},
	{Title: "Senior Carer", Areas: careUnits, Family: "care", Group: socialG, Pay: hourly(13.4, 15.2, ""), At: []string{careHome}, Weight: 4, Base: ward, Shifts: true},
	{Title: "Night Carer", Family: "care", Group: socialG, Pay: hourly(13, 14.8, "enhanced night rate"), At: []string{careHome}, Weight: 3, Base: ward},
	{Title: "Activities Coordinator", Family: "care", Group: socialG, Pay: hourly(12.75, 13.5, ""), At: []string{careHome}, Weight: 1, Base: ward},
	{Title: "Deputy Manager", Family: "leadership", Group: socialG, Pay: yearly(38000, 42000, ""), At: []string{careHome}, Weight: 1, Base: ward},
	{Title: "Registered Care Home Manager", Family: "leadership", Group: socialG, Pay: yearly(48000, 56000, "plus bonus"), At: []string{careHome}, Weight: 1, Base: ward},
	{Title: "Domiciliary Care Worker", Family: "care", Group: socialG, Pay: hourly(12.75, 15.5, "plus mileage"), At: []string{homeCare}, Weight: 12, Base: community, Multi: true},
	{Title: "Senior Home Care Worker", Family: "care", Group: socialG, Pay: hourly(13.6, 15.8, "plus mileage"), At: []string{homeCare}, Weight: 3, Base: community, Multi: true},
	{Title: "Field Care Supervisor", Family: "care", Group: socialG, Pay: yearly(27500, 29500, ""), At: []string{homeCare}, Weight: 1, Base: community, Multi: true},
	{Title: "Registered Manager – Home Care", Family: "leadership", Group: socialG, Pay: yearly(42000, 48000, ""), At: []string{homeCare}, Weight: 1, Base: office},
	{Title: "Reablement Support Worker", Family: "care", Group: socialG, Pay: scale(24790, 26409, "Grade A5"), At: []string{council}, Weight: 3, Base: community, Multi: true},
	{Title: "Social Worker", Areas: socialTeams, Family: "social-work", Group: socialG, Pay: scale(36124, 40476, "Grade P3"), At: []string{council}, Weight: 6, Base: community},
	{Title: "Senior Practitioner Social Worker", Areas: socialTeams, Family: "social-work", Group: socialG, Pay: scale(41511, 45718, "Grade P4"), At: []string{council}, Weight: 2, Base: community},
	{Title: "Approved Mental Health Professional", Family: "social-work", Group: socialG, Pay: scale(43690, 48120, "Grade P4 plus AMHP allowance"), At: []string{council}, Weight: 1, Base: community},
	{Title: "Newly Qualified Social Worker (ASYE)", Family: "social-work", Group: socialG, Pay: scale(33366, 35745, "Grade P2"), At: []string{council}, Weight: 2, Base: community},
	{Title: "Social Worker – Community Mental Health", Family: "social-work", Group: socialG, Pay: afc("6"), At: []string{mental}, Weight: 1, Base: community},
	{Title: "Support Worker", Family: "care", Group: socialG, Pay: hourly(12.75, 13.8, ""), At: []string{supported}, Weight: 8, Base: ward, Shifts: true},
	{Title: "Senior Support Worker", Family: "care", Group: socialG, Pay: hourly(13.6, 14.6, ""), At: []string{supported}, Weight: 2, Base: ward, Shifts: true},
	{Title: "Waking Night Support Worker", Family: "care", Group: socialG, Pay: hourly(13.2, 14.2, "enhanced night rate"), At: []string{supported}, Weight: 2, Base: ward},
	{Title: "Team Leader – Supported Living", Family: "leadership", Group: socialG, Pay: yearly(28500, 31000, ""), At: []string{supported}, Weight: 2, Base: ward},
	{Title: "Family Support Worker", Family: "care", Group: socialG, Pay: afc("4"), At: []string{hospice}, Weight: 1, Base: community},
	{Title: "Community Support Worker", Areas: recoveryAreas, Family: "peer", Group: socialG, Pay: yearly(24500, 26200, ""), At: []string{mhCharity}, Weight: 4, Base: community},
	{Title: "Peer Support Worker", Areas: recoveryAreas, Family: "peer", Group: socialG, Pay: hourly(12.8, 13.5, ""), At: []string{mhCharity}, Weight: 3, Base: community},
	{Title: "Carers Support Worker", Areas: carersAreas, Family: "peer", Group: socialG, Pay: yearly(25200, 26800, ""), At: []string{carersCharity}, Weight: 4, Base: community, Multi: true},
	{Title: "Young Carers Worker", Family: "peer", Group: socialG, Pay: yearly(25200, 26800, ""), At: []string{carersCharity}, Weight: 2, Base: community, TermTime: true},
}
