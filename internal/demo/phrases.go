package demo

// familyText is the phrase pool for one role family. Phrases may use
// {a role}, {partner}, {site}, {town} and {team}; describe fills them.
type familyText struct {
	Summary []string // what the job is, one picked per vacancy
	Duties  []string // bullet points, several picked
	You     []string // what we are looking for, several picked
	Team    []string // where the role works; the partner's team text when empty
	Contact string   // who an informal chat is with
}

var families = map[string]familyText{
	"nursing": {
		Summary: []string{
			"You will plan, deliver and evaluate person-centred nursing care, working alongside doctors, therapists and support workers so that every patient gets safe, kind and effective care.",
			"This is a chance to develop your clinical skills in a supportive team that takes preceptorship, supervision and learning seriously.",
			"You will be a visible, approachable nurse who leads care on shift, supports students and makes sure patients and families know what is happening and why.",
			"Whether you are newly registered or have years of experience, you will find a team that values your ideas and gives you time to learn.",
		},
		Duties: []string{
			"Assess, plan, deliver and evaluate nursing care for a group of patients",
			"Give medicines safely and keep accurate records on our electronic patient record",
			"Recognise the deteriorating patient and escalate using NEWS2",
			"Supervise and support healthcare support workers, nursing associates and students",
			"Work with patients, families and carers to plan safe discharges",
			"Take charge of the shift when needed, once you have the experience",
			"Contribute to audits and quality improvement projects",
			"Keep your skills up to date and complete mandatory training",
		},
		You: []string{
			"Registered nurse with a live NMC PIN (or due to qualify within six months)",
			"Kind, calm under pressure and a good communicator",
			"Committed to learning and to supporting others to learn",
			"Able to prioritise a busy workload and know when to ask for help",
			"A full UK driving licence and access to a car for community roles",
		},
		Contact: "Matron",
	},
	"midwifery": {
		Summary: []string{
			"You will provide high-quality, personalised care to women, birthing people and their families through pregnancy, labour and the early weeks after birth.",
			"Our continuity-of-carer teams and busy birth settings offer varied experience and strong support from senior midwives.",
			"You will rotate across settings to build confidence, with a named preceptor and protected study days.",
		},
		Duties: []string{
			"Provide antenatal, intrapartum and postnatal care in line with NICE guidance",
			"Support informed choice and personalised care plans",
			"Recognise complications and escalate to the multidisciplinary team",
			"Support infant feeding and safe discharge home",
			"Mentor student midwives and maternity support workers",
			"Keep clear, contemporaneous records",
		},
		You: []string{
			"Registered midwife with the NMC, or due to qualify this year",
			"Passionate about safe, personalised care",
			"Good communicator who works well in a team",
			"Willing to rotate across areas and work a 24/7 rota",
		},
		Contact: "Head of Midwifery",
	},
	"support": {
		Summary: []string{
			"You will help patients with personal care, eating and drinking, moving safely and staying comfortable, and you will often be the person they remember.",
			"No experience? No problem. We provide a full induction, the Care Certificate and support to take the next step, including apprenticeships into nursing.",
			"You will work as part of the ward or clinic team, taking observations, supporting registered staff and making sure patients feel safe and listened to.",
		},
		Duties: []string{
			"Help patients with washing, dressing, eating and mobilising",
			"Record observations such as blood pressure, pulse and temperature and report changes",
			"Keep the clinical area clean, tidy and well stocked",
			"Support patients and families with kindness and patience",
			"Take blood samples and carry out ECGs once trained",
			"Work towards the Care Certificate and further qualifications",
		},
		You: []string{
			"Caring, reliable and good with people",
			"Good English and maths (GCSE or equivalent, or willing to work towards them)",
			"Willing to learn and to follow procedures carefully",
			"Experience in care is welcome but not essential",
		},
		Contact: "Ward Manager",
	},
	"ahp": {
		Summary: []string{
			"You will assess and treat a varied caseload, setting goals with patients and helping them get home and stay well.",
			"This role combines hands-on clinical work with supervision, CPD time and the chance to develop a special interest.",
			"You will join a friendly multidisciplinary team with strong links to local universities and a commitment to evidence-based practice.",
		},
		Duties: []string{
			"Assess, plan and deliver treatment for patients with a range of conditions",
			"Manage your own caseload and prioritise referrals",
			"Work closely with nurses, doctors, social workers and families",
			"Supervise assistants and students",
			"Keep accurate records and outcome measures",
			"Take part in service development and audit",
		},
		You: []string{
			"HCPC registered in your profession (or applying for registration)",
			"Good clinical reasoning and communication skills",
			"Committed to continuing professional development",
			"Able to work independently and as part of a team",
			"A driving licence where the role covers more than one site",
		},
		Contact: "Therapy Lead",
	},
	"medical": {
		Summary: []string{
			"You will join a supportive department with a strong teaching ethos, a manageable on-call and time in your job plan for professional activities.",
			"We are expanding the team to meet growing demand and welcome applications from doctors wanting flexible or less-than-full-time working.",
			"You will provide high-quality care, lead and teach, and shape how the service develops with colleagues across the region.",
		},
		Duties: []string{
			"Provide expert assessment and treatment for patients in your specialty",
			"Take part in the on-call rota as agreed in your job plan",
			"Teach and supervise resident doctors and other professionals",
			"Contribute to audit, governance and quality improvement",
			"Work with colleagues across primary and secondary care",
			"Support research activity where you have an interest",
		},
		You: []string{
			"Full GMC registration with a licence to practise",
			"Entry on the GMC Specialist or GP Register (or within six months of CCT) for consultant and GP roles",
			"Excellent clinical skills and judgement",
			"Commitment to teaching and team working",
		},
		Contact: "Clinical Director",
	},
	"science": {
		Summary: []string{
			"You will carry out diagnostic tests that clinicians rely on every day, in a modern, UKAS-accredited department.",
			"This is a great role for a scientist who enjoys precise, varied work and wants to progress through the Healthcare Science career framework.",
			"Our department works closely with clinical teams, and your results will directly shape patient care.",
		},
		Duties: []string{
			"Carry out and validate tests following standard operating procedures",
			"Maintain and troubleshoot analysers and equipment",
			"Take part in internal quality control and external quality assessment",
			"Support training of trainees and assistants",
			"Contribute to the department's quality management system",
		},
		You: []string{
			"HCPC registration, or the Registration Training Portfolio where required",
			"Relevant degree or equivalent experience for the band",
			"Accurate, methodical and calm under pressure",
			"Happy to work a rota including evenings and weekends where the service needs it",
		},
		Contact: "Laboratory Manager",
	},
	"pharmacy": {
		Summary: []string{
			"You will make sure patients get the right medicines safely, working alongside prescribers and clinical teams.",
			"We offer structured training, prescribing opportunities for pharmacists and a team that enjoys teaching.",
			"You will help reduce medicines waste, support safe discharge and advise colleagues and patients.",
		},
		Duties: []string{
			"Carry out medicines reconciliation and clinical screening",
			"Advise prescribers, nurses and patients on medicines",
			"Supervise dispensing and support the pharmacy team",
			"Take part in audit and medicines safety work",
			"Carry out structured medication reviews where appropriate",
		},
		You: []string{
			"Registered with the GPhC, or with the qualifications needed for the role",
			"Attention to detail and good communication skills",
			"Keen to develop, including towards independent prescribing",
		},
		Contact: "Lead Pharmacist",
	},
	"psychology": {
		Summary: []string{
			"You will offer evidence-based psychological assessment and therapy, and help teams think psychologically about the people they support.",
			"Our services value reflective practice, regular supervision and lived-experience partnership.",
			"You will join a growing team with a real say in how therapy is offered locally.",
		},
		Duties: []string{
			"Assess and offer psychological interventions to individuals and groups",
			"Provide consultation and reflective practice to colleagues",
			"Use outcome measures and contribute to service evaluation",
			"Supervise trainees and assistant psychologists",
			"Keep clear clinical records",
		},
		You: []string{
			"Relevant qualification and registration for the role (HCPC, BPS or BACP as appropriate)",
			"Warm, thoughtful and curious about people",
			"Able to manage risk and work within safeguarding procedures",
		},
		Contact: "Lead Psychologist",
	},
	"admin": {
		Summary: []string{
			"You will keep the service running smoothly, making sure the people we serve and our colleagues get the right information at the right time.",
			"This is a varied role for someone organised and friendly who likes to get things right first time.",
			"You will be the first point of contact for many people, so a calm and helpful manner matters as much as your typing speed.",
		},
		Duties: []string{
			"Answer calls and emails and deal with queries from the public and colleagues",
			"Book appointments and manage diaries and clinic lists",
			"Type letters and reports, including from digital dictation",
			"Keep records accurate and up to date",
			"Support meetings, take minutes and track actions",
			"Handle confidential information with care",
		},
		You: []string{
			"Good IT skills including Microsoft Word, Outlook and Excel",
			"Good standard of English and maths",
			"Friendly and professional on the phone and in person",
			"Well organised with an eye for detail",
			"Experience in an office or customer service role is helpful but not essential",
		},
		Contact: "Office Manager",
	},
	"leadership": {
		Summary: []string{
			"You will lead a team through a period of real change, with clear accountability and the support of an experienced leadership group.",
			"This is a senior role for someone who combines operational grip with compassionate, inclusive leadership.",
			"You will work with partners across the consortium to improve services for local people.",
		},
		Duties: []string{
			"Lead, develop and support your team",
			"Manage budgets and performance against agreed plans",
			"Lead improvement projects and service changes",
			"Represent the service at partnership meetings",
			"Make sure the service meets regulatory standards",
		},
		You: []string{
			"Significant relevant experience at a senior level",
			"Track record of leading teams through change",
			"Relevant professional qualification or equivalent experience",
			"Commitment to equality, diversity and inclusion",
		},
		Contact: "Director",
	},
	"estates": {
		Summary: []string{
			"You will keep our buildings clean, safe and working, which makes a real difference to patients and residents every day.",
			"You will join a friendly team where reliability and a good attitude count for more than experience.",
			"This role is the backbone of the service: nothing works without you.",
		},
		Duties: []string{
			"Carry out your duties to agreed standards and schedules",
			"Follow infection prevention and health and safety procedures",
			"Use equipment safely and report faults",
			"Help patients, visitors and colleagues with a friendly word",
			"Keep simple records such as cleaning schedules or job sheets",
		},
		You: []string{
			"Reliable, flexible and a team player",
			"Happy to work shifts including weekends where needed",
			"Relevant trade qualification for technical roles (for example 18th Edition for electricians)",
			"Full training given for non-technical roles",
		},
		Contact: "Facilities Manager",
	},
	"care": {
		Summary: []string{
			"You will help people live the way they want to, supporting them with personal care, meals, medication and getting out and about.",
			"No experience is needed: we provide paid training, shadow shifts and the Care Certificate, and we will support you to gain a Level 2 or 3 diploma.",
			"You will get to know the people you support and their families, and help them stay independent, safe and happy.",
		},
		Duties: []string{
			"Support people with personal care, eating, drinking and mobility",
			"Give medication once trained and assessed as competent",
			"Record care notes on our digital care planning system",
			"Notice changes in someone's health or wellbeing and report them",
			"Support activities, hobbies and time in the community",
			"Treat people with dignity and respect their choices",
		},
		You: []string{
			"Kind, patient and reliable",
			"Able to read and write English well enough to keep care records",
			"A full UK driving licence and your own car for home care roles",
			"Willing to complete training and an enhanced DBS check",
		},
		Contact: "Registered Manager",
	},
	"social-work": {
		Summary: []string{
			"You will carry out strengths-based assessments and support plans with adults and carers, working in a locality team with manageable caseloads.",
			"We invest in social workers: protected learning time, regular reflective supervision and a clear progression route.",
			"You will work closely with health colleagues, housing and the voluntary sector to help people live independently.",
		},
		Duties: []string{
			"Carry out Care Act assessments and reviews",
			"Lead on safeguarding enquiries where needed",
			"Apply the Mental Capacity Act in practice",
			"Write clear, timely records and reports",
			"Work with families, carers and partner agencies",
		},
		You: []string{
			"A social work qualification and registration with Social Work England",
			"Good knowledge of the Care Act 2014 and Mental Capacity Act 2005",
			"Good written and verbal communication",
			"Able to travel across the area (hybrid working)",
		},
		Contact: "Team Manager",
	},
	"peer": {
		Summary: []string{
			"You will offer practical and emotional support, helping people find what matters to them and connect with local groups and services.",
			"Lived experience is valued here; we will support you to use yours safely and purposefully.",
			"You will work one to one and in groups, in community venues and sometimes at people's homes.",
		},
		Duties: []string{
			"Build trusting relationships with the people you support",
			"Help people set goals and connect with community activities",
			"Run or co-facilitate groups",
			"Keep simple records and follow safeguarding procedures",
			"Work with health, social care and voluntary sector partners",
		},
		You: []string{
			"Good listener with a warm, non-judgemental approach",
			"Able to manage your own time and work independently",
			"Knowledge of local services, or keen to learn",
			"Lived experience welcome",
		},
		Contact: "Service Lead",
	},
	"ambulance": {
		Summary: []string{
			"You will respond to patients across the region, from life-threatening emergencies to people who need the right care without going to hospital.",
			"You will be part of a close-knit station team with clinical support, mentoring and a clear career pathway.",
			"Our emergency operations centre and road crews work as one service, and your decisions will make a difference from the first minute.",
		},
		Duties: []string{
			"Assess, treat and, where needed, convey patients safely",
			"Use clinical guidelines and decision support to choose the right care pathway",
			"Drive ambulance vehicles safely under emergency conditions once trained",
			"Keep accurate electronic patient records",
			"Mentor students and new colleagues",
		},
		You: []string{
			"HCPC registration for paramedic roles",
			"A full UK manual driving licence with C1 for road roles (we can help you get it)",
			"Calm, resilient and compassionate",
			"Able to work a 24/7 shift pattern",
		},
		Contact: "Operations Manager",
	},
	"control": {
		Summary: []string{
			"You will answer 999 calls from the public and use our triage system to get the right help to patients as quickly as possible.",
			"Working in our emergency operations centre, you will be the calm voice at the other end of the phone on someone's worst day.",
			"You will join a supportive control room team with full classroom training, mentoring on the floor and regular debriefs.",
		},
		Duties: []string{
			"Answer 999 calls and triage them using NHS Pathways",
			"Give life-saving advice over the phone, such as CPR instructions",
			"Allocate and track ambulance resources across the region",
			"Keep accurate call records",
			"Work closely with clinicians in the clinical hub",
			"Support colleagues after difficult calls",
		},
		You: []string{
			"Calm, clear and caring on the phone",
			"Good keyboard skills and able to listen and type at the same time",
			"Able to work a 24/7 rota including nights and weekends",
			"Registered nurse or paramedic for clinical hub roles",
		},
		Team: []string{
			"Our emergency operations centre in Cambourne runs around the clock, with call handlers, dispatchers and clinicians working side by side and a team leader on every shift.",
			"The control room team is close-knit and looks after its own: every shift has a welfare lead, and there is free parking and a quiet room for breaks.",
		},
		Contact: "Emergency Operations Centre Manager",
	},
	"retail": {
		Summary: []string{
			"You will help run one of our busy charity shops, serving customers, sorting donations and creating displays that raise money for hospice care.",
			"Every sale in our shops pays for hospice care, and you will be the friendly face of the hospice on the high street.",
		},
		Duties: []string{
			"Serve customers and use the till",
			"Sort, price and display donated goods",
			"Sign up donors to Gift Aid",
			"Support and encourage shop volunteers",
			"Keep the shop clean, safe and welcoming",
		},
		You: []string{
			"Friendly, with good customer service skills",
			"Happy to work some Saturdays",
			"Able to handle cash accurately",
			"Retail experience welcome but not essential",
		},
		Team: []string{
			"Our shops are run by a small paid team and dozens of volunteers of all ages, and the atmosphere is friendly and busy.",
			"You will work with an experienced shop manager and a regular team of volunteers, with support from our retail area manager.",
		},
		Contact: "Retail Manager",
	},
	"supporters": {
		Summary: []string{
			"You will help the charity raise the money and find the people it needs, from community events to volunteers who give their time every week.",
			"This is a varied, sociable role for someone who enjoys bringing people together for a good cause.",
		},
		Duties: []string{
			"Recruit, train and support volunteers",
			"Plan and run fundraising and community events",
			"Thank supporters and keep records on our supporter database",
			"Work with local businesses, schools and community groups",
			"Promote our work on social media and in the local press",
		},
		You: []string{
			"Confident talking to people from all walks of life",
			"Well organised and happy to juggle several projects",
			"Good IT skills, including social media",
			"A driving licence, as the role covers a wide area",
		},
		Team: []string{
			"You will be part of a small income generation and volunteering team that shares ideas, celebrates every success and supports each other at events.",
		},
		Contact: "Head of Income Generation",
	},
}
