// Package applications owns applications made on the portal: applying with
// a copy of the profile (and, only with consent, the staff passport), the
// statuses a recruiter moves an application through and the applicant's
// view of them, what a recruiter may see (anonymised until shortlisted),
// partners' screening questions, the e-mails to applicants and the
// retention rule. Tables: applications, application_events,
// screening_questions; it reads vacancies, partners, users and the profile
// tables. Every recruiter-side method takes the partner as its
// authorisation boundary and answers ErrNotFound for another partner's
// application. It must not know HTTP.
package applications

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/mail"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/profiles"
)

// ErrNotFound is returned for an application that does not exist or is not
// the caller's to see: the two are never told apart.
var ErrNotFound = errors.New("application not found")

// ErrNotOpen is returned by Apply for a job that cannot be applied for on
// the portal (any more): closed, not yet published, or applied for on the
// employer's own site.
var ErrNotOpen = errors.New("this job is not open for applications on the portal")

// ValidationError carries messages written for people, keyed by the form
// field they are about.
type ValidationError map[string]string

func (e ValidationError) Error() string {
	parts := make([]string, 0, len(e))
	for _, k := range slices.Sorted(maps.Keys(e)) {
		parts = append(parts, k+": "+e[k])
	}
	return "invalid application: " + strings.Join(parts, "; ")
}

// Limits.
const (
	MaxStatement    = 5000 // characters of a role-specific statement
	MaxAnswer       = 2000 // characters of an answer to a screening question
	MaxNote         = 1000 // characters of a note with a status change
	MaxQuestions    = 10
	DefaultPerPage  = 25
	MaxPerPage      = 100
	DefaultRetained = 460 * 24 * time.Hour // how long after closing an application keeps personal data
)

// Answer is an applicant's answer to one screening question. QuestionID
// says which question when applying; the question's words are stored with
// the answer, so editing the questions later changes no application.
type Answer struct {
	QuestionID int64  `json:"-"`
	Question   string `json:"question"`
	Answer     string `json:"answer"`
}

// Question is a screening question a partner asks every applicant.
type Question struct {
	ID   int64
	Text string
}

// Event is one step of an application's history.
type Event struct {
	At          time.Time
	Status      string
	Note        string // written by the recruiter for the applicant; "" when none
	ByApplicant bool
}

// Label is the status in words.
func (e Event) Label() string { return Label(e.Status) }

// Summary is an application in a list.
type Summary struct {
	ID           int64
	VacancyID    int64
	VacancyTitle string
	PartnerName  string
	Candidate    string // "Candidate A-000123": how an anonymised applicant is named
	Name         string // "" while anonymised
	Anonymised   bool
	Status       string
	SubmittedAt  time.Time
	UpdatedAt    time.Time
}

// Label is the status in words.
func (s Summary) Label() string { return Label(s.Status) }

// Application is one application as its reader may see it. For a recruiter
// before shortlisting, Anonymised is true and every detail that says who
// the applicant is has been blanked.
type Application struct {
	ID             int64
	VacancyID      int64
	VacancyTitle   string
	VacancyRef     string
	VacancyPath    string // the public advert
	PartnerID      int64
	PartnerName    string
	PartnerSlug    string
	Status         string
	Candidate      string
	Anonymised     bool // hidden from the recruiter until shortlisted
	Redacted       bool // personal data deleted under the retention rule
	Name           string
	Email          string
	Profile        profiles.Profile
	Statement      string
	Answers        []Answer
	PassportShared bool
	Passport       []profiles.PassportItem // nil unless shared
	SubmittedAt    time.Time
	UpdatedAt      time.Time
	Events         []Event
	Moves          []string // statuses the recruiter may move it to (recruiter view)
	CanWithdraw    bool     // the applicant may still withdraw (applicant view)
}

// Label is the status in words.
func (a Application) Label() string { return Label(a.Status) }

// Store reads and writes applications. Mail goes to applicants after each
// change commits.
type Store struct {
	pool   *pgxpool.Pool
	mailer Mailer
	now    func() time.Time
}

// Mailer is how the store writes to applicants. A nil Sender sends nothing.
type Mailer struct {
	Sender  *mail.Sender
	BaseURL string // for links in the mail, no trailing slash
	Logger  *slog.Logger
}

// NewStore returns a Store on pool that mails applicants through m.
func NewStore(pool *pgxpool.Pool, m Mailer) *Store {
	if m.Logger == nil {
		m.Logger = slog.New(slog.DiscardHandler)
	}
	return &Store{pool: pool, mailer: m, now: time.Now}
}

// SetClock replaces the clock that decides "today" (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// CandidateRef is how a recruiter refers to an applicant they may not yet
// know the name of.
func CandidateRef(id int64) string { return fmt.Sprintf("Candidate A-%06d", id) }

func vacancyPath(id int64, title string) string {
	return fmt.Sprintf("/jobs/%d/%s", id, partners.Slugify(title))
}

// wrap adds the operation to unexpected errors; ErrNotFound, ErrNotOpen
// and ValidationError come back as they are, for callers to compare.
func wrap(err *error, format string, args ...any) {
	var verr ValidationError
	if *err == nil || errors.Is(*err, ErrNotFound) || errors.Is(*err, ErrNotOpen) || errors.As(*err, &verr) {
		return
	}
	*err = fmt.Errorf(format+": %w", append(args, *err)...)
}
