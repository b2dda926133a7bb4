package site

import (
	"slices"
	"time"

	"github.com/regionalcareers/portal/internal/profiles"
)

// The three lists of the profile, each with its form.

func jobFromForm(f *form) profiles.Job {
	return profiles.Job{Employer: f.Trimmed("employer"), Role: f.Trimmed("role"),
		From: profiles.Month(f.Value("from-month"), f.Value("from-year")),
		To:   profiles.Month(f.Value("to-month"), f.Value("to-year")), Duties: f.Trimmed("duties")}
}

var jobsList = profileList{
	Path: "jobs", Page: "profile-job", Heading: "Work history", Noun: "job", AddLabel: "Add a job",
	Intro:  "Your jobs, paid or voluntary, most recent first. Include any gaps you want to explain in your statement.",
	Fields: []string{"employer", "role", "from", "to", "duties"},
	Len:    func(p profiles.Profile) int { return len(p.WorkHistory) },
	Load: func(p profiles.Profile, i int, f *form) {
		j := p.WorkHistory[i]
		f.Values.Set("employer", j.Employer)
		f.Values.Set("role", j.Role)
		f.Values.Set("duties", j.Duties)
		for name, month := range map[string]string{"from": j.From, "to": j.To} {
			m, y := profiles.SplitMonth(month)
			f.Values.Set(name+"-month", m)
			f.Values.Set(name+"-year", y)
		}
	},
	Check: func(f *form) map[string]string { return jobFromForm(f).Validate() },
	Put: func(p *profiles.Profile, i int, f *form) {
		p.WorkHistory = put(p.WorkHistory, i, jobFromForm(f))
		// Most recent first: current jobs, then by when they started.
		slices.SortStableFunc(p.WorkHistory, func(a, b profiles.Job) int {
			if a.Current() != b.Current() {
				if a.Current() {
					return -1
				}
				return 1
			}
			if a.From > b.From {
				return -1
			}
			if a.From < b.From {
				return 1
			}
			return 0
		})
	},
	Remove: func(p *profiles.Profile, i int) { p.WorkHistory = slices.Delete(p.WorkHistory, i, i+1) },
	Summary: func(p profiles.Profile, i int) (string, string, string) {
		j := p.WorkHistory[i]
		to := "now"
		if !j.Current() {
			to = monthText(j.To)
		}
		return j.Role, j.Employer + ", " + monthText(j.From) + " to " + to, j.Role + " at " + j.Employer
	},
}

func qualificationFromForm(f *form) profiles.Qualification {
	return profiles.Qualification{Institution: f.Trimmed("institution"), Qualification: f.Trimmed("qualification"), Year: f.Trimmed("year")}
}

var educationList = profileList{
	Path: "education", Page: "profile-education", Heading: "Education and qualifications", Noun: "qualification",
	AddLabel: "Add a qualification",
	Intro:    "Qualifications, courses and apprenticeships. Put training such as basic life support in your staff passport.",
	Fields:   []string{"qualification", "institution", "year"},
	Len:      func(p profiles.Profile) int { return len(p.Education) },
	Load: func(p profiles.Profile, i int, f *form) {
		q := p.Education[i]
		f.Values.Set("qualification", q.Qualification)
		f.Values.Set("institution", q.Institution)
		f.Values.Set("year", q.Year)
	},
	Check:  func(f *form) map[string]string { return qualificationFromForm(f).Validate() },
	Put:    func(p *profiles.Profile, i int, f *form) { p.Education = put(p.Education, i, qualificationFromForm(f)) },
	Remove: func(p *profiles.Profile, i int) { p.Education = slices.Delete(p.Education, i, i+1) },
	Summary: func(p profiles.Profile, i int) (string, string, string) {
		q := p.Education[i]
		detail := q.Institution
		if q.Year != "" {
			detail += ", " + q.Year
		}
		return q.Qualification, detail, q.Qualification + " from " + q.Institution
	},
}

func refereeFromForm(f *form) profiles.Referee {
	return profiles.Referee{Name: f.Trimmed("name"), Relationship: f.Trimmed("relationship"), Email: f.Trimmed("email"), Phone: f.Trimmed("phone")}
}

var referencesList = profileList{
	Path: "references", Page: "profile-reference", Heading: "Referees", Noun: "referee", AddLabel: "Add a referee",
	Intro:  "Two people who can say how you work, such as your current or last manager. Employers contact them only if they offer you a job.",
	Fields: []string{"name", "relationship", "email", "phone"},
	Len:    func(p profiles.Profile) int { return len(p.References) },
	Load: func(p profiles.Profile, i int, f *form) {
		r := p.References[i]
		f.Values.Set("name", r.Name)
		f.Values.Set("relationship", r.Relationship)
		f.Values.Set("email", r.Email)
		f.Values.Set("phone", r.Phone)
	},
	Check:  func(f *form) map[string]string { return refereeFromForm(f).Validate() },
	Put:    func(p *profiles.Profile, i int, f *form) { p.References = put(p.References, i, refereeFromForm(f)) },
	Remove: func(p *profiles.Profile, i int) { p.References = slices.Delete(p.References, i, i+1) },
	Summary: func(p profiles.Profile, i int) (string, string, string) {
		r := p.References[i]
		detail := r.Relationship + ", " + r.Email
		if r.Phone != "" {
			detail += ", " + r.Phone
		}
		return r.Name, detail, r.Name
	},
}

// put replaces entry i, or adds one when i is the list's length.
func put[T any](list []T, i int, entry T) []T {
	if i == len(list) {
		return append(list, entry)
	}
	list[i] = entry
	return list
}

// monthText writes "2019-04" as "April 2019".
func monthText(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return t.Format("January 2006")
}
