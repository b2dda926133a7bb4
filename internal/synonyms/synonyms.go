// Package synonyms owns the search synonym groups admins edit: words
// jobseekers use for the same job ("rn", "registered nurse", "staff nurse").
// It validates and stores them in search_synonyms; a change reaches the
// search index through the outbox, in the same transaction. It must not know
// Meilisearch or HTTP.
package synonyms

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/outbox"
)

// Group is one stored group of terms that all mean the same.
type Group struct {
	ID    int64
	Terms []string
}

// Limits on what admins enter.
const (
	MinTerms      = 2
	MaxTerms      = 20
	MaxTermLength = 40 // characters
	MaxGroups     = 500
)

// ValidationError lists what is wrong with the synonyms, one message per
// problem, in line order, each saying which line ("Line 3: ..."): admins
// edit the groups as text, one group per line.
type ValidationError []string

func (e ValidationError) Error() string { return "invalid synonyms: " + strings.Join(e, "; ") }

// Parse reads the text form, one group per line with its terms separated by
// commas; blank lines are skipped. It returns the groups normalised (lower
// case, single spaces), or the problems with their line numbers.
func Parse(text string) ([][]string, ValidationError) {
	var lines []line
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(raw) != "" {
			lines = append(lines, line{number: i + 1, terms: strings.Split(raw, ",")})
		}
	}
	return check(lines)
}

// Format writes groups in the text form Parse reads.
func Format(groups [][]string) string {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(strings.Join(g, ", "))
		b.WriteByte('\n')
	}
	return b.String()
}

// Validate normalises groups and checks them as Parse does, group i being
// line i+1, as Format writes it.
func Validate(groups [][]string) ([][]string, ValidationError) {
	lines := make([]line, len(groups))
	for i, g := range groups {
		lines[i] = line{number: i + 1, terms: g}
	}
	return check(lines)
}

type line struct {
	number int
	terms  []string
}

var termPattern = regexp.MustCompile(`^[\p{L}\p{N}]([\p{L}\p{N} '’-]*[\p{L}\p{N}])?$`)

// check normalises every line's terms and says what is wrong: a group too
// small or too big, a term too long or with other characters, a term in two
// groups (it would join them, which is rarely meant). A term repeated in one
// group is kept once.
func check(lines []line) ([][]string, ValidationError) {
	var errs ValidationError
	switch {
	case len(lines) == 0:
		return nil, ValidationError{"Enter at least one group of synonyms"}
	case len(lines) > MaxGroups:
		return nil, ValidationError{fmt.Sprintf("Enter at most %d groups of synonyms", MaxGroups)}
	}
	seenOn := map[string]int{}
	groups := make([][]string, 0, len(lines))
	for _, l := range lines {
		problem := func(format string, args ...any) {
			errs = append(errs, fmt.Sprintf("Line %d: ", l.number)+fmt.Sprintf(format, args...))
		}
		var group []string
		inGroup := map[string]bool{}
		for _, raw := range l.terms {
			term := strings.Join(strings.Fields(strings.ToLower(raw)), " ")
			switch {
			case term == "" || inGroup[term]:
				continue
			case utf8.RuneCountInString(term) > MaxTermLength:
				problem("%q is longer than %d characters", term, MaxTermLength)
			case !termPattern.MatchString(term):
				problem("%q can only have letters, numbers, spaces, hyphens and apostrophes", term)
			case seenOn[term] != 0:
				problem("%q is already in line %d: a term can be in one group only", term, seenOn[term])
			default:
				seenOn[term] = l.number
			}
			inGroup[term] = true
			group = append(group, term)
		}
		switch {
		case len(group) < MinTerms:
			problem("put at least %d terms, separated by commas", MinTerms)
		case len(group) > MaxTerms:
			problem("put at most %d terms in a group", MaxTerms)
		}
		groups = append(groups, group)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return groups, nil
}

// Store reads and writes the synonym groups.
type Store struct {
	pool   *pgxpool.Pool
	outbox *outbox.Outbox
}

// NewStore returns a Store on pool whose changes enqueue, through ob, the
// job that applies them to the search index. Only Replace uses ob: a store
// that is only read may have none.
func NewStore(pool *pgxpool.Pool, ob *outbox.Outbox) *Store { return &Store{pool: pool, outbox: ob} }

// List returns the stored groups in the order they were entered.
func (s *Store) List(ctx context.Context) (list []Group, err error) {
	defer wrap(&err, "list synonyms")
	rows, err := s.pool.Query(ctx, `SELECT id, terms FROM search_synonyms ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Group])
}

// Groups returns the stored groups' terms: what search applies.
func (s *Store) Groups(ctx context.Context) ([][]string, error) {
	list, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	groups := make([][]string, len(list))
	for i, g := range list {
		groups[i] = g.Terms
	}
	return groups, nil
}

// Replace validates groups and stores them in place of all the current
// ones, enqueuing their application to the search index in the same
// transaction.
func (s *Store) Replace(ctx context.Context, groups [][]string) (err error) {
	defer wrap(&err, "replace synonyms")
	groups, errs := Validate(groups)
	if len(errs) > 0 {
		return errs
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := store(ctx, tx, groups); err != nil {
			return err
		}
		return s.outbox.SynonymsChanged(ctx, tx)
	})
}

// EnsureDefaults stores defaults when no groups are stored, as on a new
// database. Call it at start-up, before the search index is set up from the
// stored groups.
func (s *Store) EnsureDefaults(ctx context.Context, defaults [][]string) (err error) {
	defer wrap(&err, "store default synonyms")
	groups, errs := Validate(defaults)
	if len(errs) > 0 {
		return errs
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Two web nodes starting together must not both seed.
		if _, err := tx.Exec(ctx, `LOCK TABLE search_synonyms IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		var seeded bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM search_synonyms)`).Scan(&seeded); err != nil || seeded {
			return err
		}
		return store(ctx, tx, groups)
	})
}

func store(ctx context.Context, tx pgx.Tx, groups [][]string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM search_synonyms`); err != nil {
		return err
	}
	rows := make([][]any, len(groups))
	for i, g := range groups {
		rows[i] = []any{g}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"search_synonyms"}, []string{"terms"}, pgx.CopyFromRows(rows))
	return err
}

func wrap(err *error, format string, args ...any) {
	if _, invalid := (*err).(ValidationError); *err != nil && !invalid {
		*err = fmt.Errorf(format+": %w", append(args, *err)...)
	}
}
