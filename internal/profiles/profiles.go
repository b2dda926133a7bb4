// Package profiles owns what a jobseeker keeps on the portal to apply with:
// the profile (contact details, right to work, professional registration,
// work history, education, referees, a supporting statement), the staff
// passport (training, DBS check, occupational health clearance) with its
// evidence files, the export of everything held about a person and the
// deletion of their account. Tables: profiles, passport_items,
// evidence_files. It reads applications only to decide whether a partner
// may see someone's evidence, and must not know about HTTP or sessions.
package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is returned for something that does not exist or is not the
// caller's to see: the two are never told apart.
var ErrNotFound = errors.New("not found")

// ValidationError carries field errors written for people, keyed by the
// field's name in the forms.
type ValidationError map[string]string

func (e ValidationError) Error() string {
	parts := make([]string, 0, len(e))
	for _, k := range slices.Sorted(maps.Keys(e)) {
		parts = append(parts, k+": "+e[k])
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// Limits of a profile.
const (
	MaxListItems    = 10 // jobs, qualifications and referees, each
	MaxStatement    = 5000
	maxAddress      = 500
	maxShortText    = 150 // employer, role, institution, names
	maxDuties       = 2000
	RefereesNeeded  = 2
	earliestYear    = 1950
	latestYear      = 2100
	msgPhone        = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
	msgRegistration = "Choose the professional body you are registered with"
)

// Profile is what a jobseeker applies with. Name and Email come from the
// account and are not changed here.
type Profile struct {
	UserID             int64           `json:"-"`
	Name               string          `json:"name"`
	Email              string          `json:"email"`
	Phone              string          `json:"phone"`
	Address            string          `json:"address"`
	Postcode           string          `json:"postcode"`
	RightToWork        string          `json:"right_to_work"`
	RegistrationBody   string          `json:"registration_body"`
	RegistrationNumber string          `json:"registration_number"`
	Statement          string          `json:"statement"`
	WorkHistory        []Job           `json:"work_history"`
	Education          []Qualification `json:"education"`
	References         []Referee       `json:"references"`
	UpdatedAt          time.Time       `json:"updated_at,omitzero"`
}

// RightToWork answers, as stored, with what people read.
var RightToWork = []struct{ Value, Label string }{
	{"citizen", "Yes, I am a British or Irish citizen"},
	{"settled", "Yes, I have settled or pre-settled status, or indefinite leave to remain"},
	{"visa", "Yes, I have a visa that lets me work in the UK"},
	{"needs-sponsorship", "No, I would need a sponsored visa"},
}

// RegistrationBodies are the professional regulators the portal knows,
// with an example of each one's registration number.
var RegistrationBodies = []struct{ Value, Label, Example string }{
	{"NMC", "Nursing and Midwifery Council (NMC)", "12A3456B"},
	{"HCPC", "Health and Care Professions Council (HCPC)", "PH123456"},
	{"GMC", "General Medical Council (GMC)", "1234567"},
	{"SWE", "Social Work England (SWE)", "SW12345"},
}

var registrationPatterns = map[string]*regexp.Regexp{
	"NMC":  regexp.MustCompile(`^[0-9]{2}[A-Z][0-9]{4}[A-Z]$`),
	"HCPC": regexp.MustCompile(`^[A-Z]{2}[0-9]{4,7}$`),
	"GMC":  regexp.MustCompile(`^[0-9]{7}$`),
	"SWE":  regexp.MustCompile(`^SW[0-9]{3,8}$`),
}

var (
	postcodePattern = regexp.MustCompile(`^([A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|GIR 0AA)$`)
	monthPattern    = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})$`)
	emailPattern    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// normalise tidies what people type without changing its meaning: spaces
// trimmed, postcodes and registration numbers in capitals.
func (p *Profile) normalise() {
	for _, s := range []*string{&p.Phone, &p.Address, &p.Postcode, &p.RightToWork, &p.RegistrationBody, &p.Statement} {
		*s = strings.TrimSpace(*s)
	}
	p.Postcode = NormalisePostcode(p.Postcode)
	p.RegistrationNumber = strings.ToUpper(strings.Join(strings.Fields(p.RegistrationNumber), ""))
	for i := range p.WorkHistory {
		j := &p.WorkHistory[i]
		for _, s := range []*string{&j.Employer, &j.Role, &j.From, &j.To, &j.Duties} {
			*s = strings.TrimSpace(*s)
		}
	}
	for i := range p.Education {
		q := &p.Education[i]
		for _, s := range []*string{&q.Institution, &q.Qualification, &q.Year} {
			*s = strings.TrimSpace(*s)
		}
	}
	for i := range p.References {
		r := &p.References[i]
		for _, s := range []*string{&r.Name, &r.Relationship, &r.Email, &r.Phone} {
			*s = strings.TrimSpace(*s)
		}
	}
}

// NormalisePostcode writes a postcode in capitals with one space before
// its last three characters: "cb20qq" -> "CB2 0QQ".
func NormalisePostcode(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) < 5 {
		return s
	}
	return s[:len(s)-3] + " " + s[len(s)-3:]
}

// Validate checks the profile as the forms save it. Keys are the form's
// field names; list entries are "jobs.N.field", "education.N.field" and
// "references.N.field" (N from 0), and the lists themselves "jobs",
// "education" and "references".
func (p Profile) Validate() map[string]string {
	errs := map[string]string{}
	if msg := validPhone(p.Phone); msg != "" {
		errs["phone"] = msg
	}
	if utf8.RuneCountInString(p.Address) > maxAddress {
		errs["address"] = fmt.Sprintf("The address must be %d characters or fewer", maxAddress)
	}
	if p.Postcode != "" && !postcodePattern.MatchString(NormalisePostcode(p.Postcode)) {
		errs["postcode"] = "Enter a real postcode, like CB2 0QQ"
	}
	if p.RightToWork != "" && !slices.ContainsFunc(RightToWork, func(o struct{ Value, Label string }) bool { return o.Value == p.RightToWork }) {
		errs["right_to_work"] = "Choose whether you have the right to work in the UK"
	}
	validateRegistration(p.RegistrationBody, p.RegistrationNumber, errs)
	if n := utf8.RuneCountInString(p.Statement); n > MaxStatement {
		errs["statement"] = fmt.Sprintf("The supporting statement must be %d characters or fewer (it has %d)", MaxStatement, n)
	}
	addList(errs, "jobs", "jobs", p.WorkHistory, Job.Validate)
	addList(errs, "education", "qualifications", p.Education, Qualification.Validate)
	addList(errs, "references", "referees", p.References, Referee.Validate)
	return errs
}

func addList[T any](errs map[string]string, key, noun string, list []T, validate func(T) map[string]string) {
	if len(list) > MaxListItems {
		errs[key] = fmt.Sprintf("You can add up to %d %s", MaxListItems, noun)
	}
	for i, item := range list {
		for field, msg := range validate(item) {
			errs[key+"."+strconv.Itoa(i)+"."+field] = msg
		}
	}
}

func validPhone(phone string) string {
	phone = strings.TrimSpace(phone)
	if phone == "" {
		return ""
	}
	digits := 0
	for i, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ', r == '+' && i == 0:
		default:
			return msgPhone
		}
	}
	if len(phone) < 7 || len(phone) > 20 || digits < 7 {
		return msgPhone
	}
	return ""
}

func validateRegistration(body, number string, errs map[string]string) {
	number = strings.ToUpper(strings.Join(strings.Fields(number), ""))
	switch {
	case body == "" && number == "":
	case body == "":
		errs["registration_body"] = msgRegistration
	case registrationPatterns[body] == nil:
		errs["registration_body"] = msgRegistration
	case number == "":
		errs["registration_number"] = "Enter your " + body + " registration number"
	case !registrationPatterns[body].MatchString(number):
		for _, b := range RegistrationBodies {
			if b.Value == body {
				errs["registration_number"] = "Enter your " + body + " registration number as it is on the register, like " + b.Example
			}
		}
	}
}

// Complete says whether the profile has what an application on the portal
// needs, and if not, what is missing, in the order the profile page asks.
func (p Profile) Complete() (bool, []string) {
	var missing []string
	if strings.TrimSpace(p.Name) == "" {
		missing = append(missing, "your name")
	}
	if strings.TrimSpace(p.Phone) == "" {
		missing = append(missing, "a telephone number")
	}
	if p.RightToWork == "" {
		missing = append(missing, "whether you have the right to work in the UK")
	}
	if strings.TrimSpace(p.Statement) == "" {
		missing = append(missing, "a supporting statement")
	}
	if len(p.WorkHistory) == 0 && len(p.Education) == 0 {
		missing = append(missing, "at least one job or qualification")
	}
	if n := len(p.References); n < RefereesNeeded {
		switch n {
		case 0:
			missing = append(missing, "two referees")
		case RefereesNeeded - 1:
			missing = append(missing, "one more referee")
		default:
			missing = append(missing, fmt.Sprintf("%d more referees", RefereesNeeded-n))
		}
	}
	return len(missing) == 0, missing
}

// Store reads and writes profiles, passports and evidence.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool, now: time.Now} }

// SetClock replaces the clock used for "today" (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

const selectProfile = `
	SELECT u.id, u.name, u.email, coalesce(p.phone, ''), coalesce(p.address, ''), coalesce(p.postcode, ''),
		coalesce(p.right_to_work, ''), coalesce(p.registration_body, ''), coalesce(p.registration_number, ''),
		coalesce(p.statement, ''), coalesce(p.work_history, '[]'), coalesce(p.education, '[]'),
		coalesce(p.references_list, '[]'), p.updated_at
	FROM users u LEFT JOIN profiles p ON p.user_id = u.id
	WHERE u.id = $1`

// Get returns the user's profile; one not saved yet comes back empty but
// for the account's name and e-mail address. ErrNotFound: no such user.
func (s *Store) Get(ctx context.Context, userID int64) (p Profile, err error) {
	defer wrap(&err, "get profile of user %d", userID)
	return getProfile(ctx, s.pool, selectProfile, userID)
}

// GetTx reads the user's profile inside tx and holds the account's row
// until tx ends, so a copy taken for an application is the profile as it
// is at that moment.
func GetTx(ctx context.Context, tx pgx.Tx, userID int64) (Profile, error) {
	return getProfile(ctx, tx, selectProfile+" FOR SHARE OF u", userID)
}

func getProfile(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, query string, userID int64) (p Profile, err error) {
	var jobs, education, references []byte
	var updated *time.Time
	err = q.QueryRow(ctx, query, userID).Scan(&p.UserID, &p.Name, &p.Email, &p.Phone, &p.Address, &p.Postcode,
		&p.RightToWork, &p.RegistrationBody, &p.RegistrationNumber, &p.Statement, &jobs, &education, &references, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, err
	}
	if updated != nil {
		p.UpdatedAt = *updated
	}
	for _, list := range []struct {
		raw  []byte
		into any
	}{{jobs, &p.WorkHistory}, {education, &p.Education}, {references, &p.References}} {
		if err := json.Unmarshal(list.raw, list.into); err != nil {
			return p, fmt.Errorf("decode profile lists: %w", err)
		}
	}
	return p, nil
}

// Save validates p and stores it whole as p.UserID's profile. Name and
// e-mail address are the account's and are ignored.
func (s *Store) Save(ctx context.Context, p Profile) error {
	return s.Update(ctx, p.UserID, func(cur *Profile) error {
		p.Name, p.Email = cur.Name, cur.Email
		*cur = p
		return nil
	})
}

// Update changes the user's profile with change, inside a transaction that
// holds the profile, so two forms saved at once do not undo each other.
// The result is validated (ValidationError) before it is stored; an error
// from change is returned as it is and nothing is stored.
func (s *Store) Update(ctx context.Context, userID int64, change func(*Profile) error) (err error) {
	defer wrap(&err, "update profile of user %d", userID)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Lock the user's row (a profile row may not exist yet), then read
		// the profile in a statement of its own: under READ COMMITTED a
		// locking read that waited sees the locked row anew but the
		// joined profile as it was before.
		if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(new(int64)); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		p, err := getProfile(ctx, tx, selectProfile, userID)
		if err != nil {
			return err
		}
		if err := change(&p); err != nil {
			return err
		}
		p.UserID = userID
		p.normalise()
		if errs := p.Validate(); len(errs) > 0 {
			return ValidationError(errs)
		}
		jobs, education, references, err := encodeLists(p)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO profiles (user_id, phone, address, postcode, right_to_work, registration_body, registration_number,
				statement, work_history, education, references_list, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (user_id) DO UPDATE SET phone = $2, address = $3, postcode = $4, right_to_work = $5,
				registration_body = $6, registration_number = $7, statement = $8, work_history = $9, education = $10,
				references_list = $11, updated_at = $12`,
			userID, p.Phone, p.Address, p.Postcode, p.RightToWork, p.RegistrationBody, p.RegistrationNumber,
			p.Statement, jobs, education, references, s.now())
		return err
	})
}

func encodeLists(p Profile) (jobs, education, references []byte, err error) {
	// Empty lists are stored as [], never null.
	if jobs, err = json.Marshal(nonNil(p.WorkHistory)); err != nil {
		return
	}
	if education, err = json.Marshal(nonNil(p.Education)); err != nil {
		return
	}
	references, err = json.Marshal(nonNil(p.References))
	return
}

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// wrap adds the operation to unexpected errors; ErrNotFound and
// ValidationError come back as they are, for callers to compare.
func wrap(err *error, format string, args ...any) {
	if *err == nil || errors.Is(*err, ErrNotFound) {
		return
	}
	var verr ValidationError
	if errors.As(*err, &verr) {
		return
	}
	*err = fmt.Errorf(format+": %w", append(args, *err)...)
}
