package profiles

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The entries of a profile's lists: jobs, qualifications and referees, and
// the months a job runs between.

// Job is one entry of a work history. From and To are months, "2019-04";
// To is "" while it is the current job.
type Job struct {
	Employer string `json:"employer"`
	Role     string `json:"role"`
	From     string `json:"from"`
	To       string `json:"to"`
	Duties   string `json:"duties"`
}

// Qualification is one entry of education and training.
type Qualification struct {
	Institution   string `json:"institution"`
	Qualification string `json:"qualification"`
	Year          string `json:"year"`
}

// Referee is someone who will give a reference.
type Referee struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	Email        string `json:"email"`
	Phone        string `json:"phone"`
}

// Validate checks one job: employer, role and start required, months real
// and in order.
func (j Job) Validate() map[string]string {
	errs := map[string]string{}
	required(errs, "employer", j.Employer, "Enter the employer's name", maxShortText)
	required(errs, "role", j.Role, "Enter your job title", maxShortText)
	from, ok := parseMonth(j.From)
	switch {
	case strings.TrimSpace(j.From) == "":
		errs["from"] = "Enter the month and year you started"
	case !ok:
		errs["from"] = "The start must be a real month and year, like 4 2019"
	}
	if strings.TrimSpace(j.To) != "" {
		to, okTo := parseMonth(j.To)
		switch {
		case !okTo:
			errs["to"] = "The end must be a real month and year, like 3 2023"
		case ok && to.Before(from):
			errs["to"] = "The end must be the same as or after the start"
		}
	}
	if utf8.RuneCountInString(j.Duties) > maxDuties {
		errs["duties"] = fmt.Sprintf("Describe your duties in %d characters or fewer", maxDuties)
	}
	return errs
}

// Current reports whether j has no end: the job someone is doing now.
func (j Job) Current() bool { return strings.TrimSpace(j.To) == "" }

// Validate checks one qualification: institution and qualification
// required, the year a real one when given.
func (q Qualification) Validate() map[string]string {
	errs := map[string]string{}
	required(errs, "institution", q.Institution, "Enter where you studied or trained", maxShortText)
	required(errs, "qualification", q.Qualification, "Enter the qualification", maxShortText)
	if y := strings.TrimSpace(q.Year); y != "" {
		if n, err := strconv.Atoi(y); err != nil || len(y) != 4 || n < earliestYear || n > latestYear {
			errs["year"] = "Enter the year as 4 digits, like 2018"
		}
	}
	return errs
}

// Validate checks one referee: name, relationship and e-mail address
// required, the phone number a real one when given.
func (r Referee) Validate() map[string]string {
	errs := map[string]string{}
	required(errs, "name", r.Name, "Enter your referee's name", maxShortText)
	required(errs, "relationship", r.Relationship, "Enter how you know your referee, like line manager", maxShortText)
	email := strings.TrimSpace(r.Email)
	switch {
	case email == "":
		errs["email"] = "Enter your referee's e-mail address"
	case len(email) > 254 || !emailPattern.MatchString(email):
		errs["email"] = "Enter an e-mail address in the correct format, like name@example.com"
	}
	if msg := validPhone(r.Phone); msg != "" {
		errs["phone"] = msg
	}
	return errs
}

// required checks a field is given and not too long; missing is the
// message for an empty one, which also starts the one for a long one:
// "Enter your job title" -> "Enter your job title in 150 characters or fewer".
func required(errs map[string]string, field, value, missing string, max int) {
	value = strings.TrimSpace(value)
	switch {
	case value == "":
		errs[field] = missing
	case utf8.RuneCountInString(value) > max:
		ask, _, _ := strings.Cut(missing, ", like")
		errs[field] = fmt.Sprintf("%s in %d characters or fewer", ask, max)
	}
}

// parseMonth reads "2019-04".
func parseMonth(s string) (time.Time, bool) {
	m := monthPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	year, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	if year < earliestYear || year > latestYear || month < 1 || month > 12 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC), true
}

// Month makes the stored form of a month from what a form sends: month
// "4", year "2019" -> "2019-04". Anything else comes back as typed, for
// Validate to refuse.
func Month(month, year string) string {
	month, year = strings.TrimSpace(month), strings.TrimSpace(year)
	if month == "" && year == "" {
		return ""
	}
	if m, err := strconv.Atoi(month); err == nil && m >= 1 && m <= 12 && len(year) == 4 {
		return fmt.Sprintf("%s-%02d", year, m)
	}
	return year + "-" + month
}

// SplitMonth is Month backwards: "2019-04" -> "4", "2019".
func SplitMonth(s string) (month, year string) {
	y, m, ok := strings.Cut(s, "-")
	if !ok {
		return "", s
	}
	if n, err := strconv.Atoi(m); err == nil {
		m = strconv.Itoa(n)
	}
	return m, y
}
