// Package accounts owns the people who sign in and what they may do: users
// and their passwords, system roles, partner memberships and invitations,
// single-use e-mail tokens and two-factor secrets and recovery codes, with
// their tables. It must not know about HTTP, cookies, sessions or sending
// mail: callers get raw tokens back and decide how to deliver them.
package accounts

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Role is a user's system role.
type Role string

const (
	Jobseeker Role = "jobseeker"
	Editor    Role = "editor"
	Admin     Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == Jobseeker || r == Editor || r == Admin }

// PartnerRole is what a member may do for a partner.
type PartnerRole string

const (
	Recruiter    PartnerRole = "recruiter"
	PartnerAdmin PartnerRole = "partner-admin"
)

// Valid reports whether r is a known partner role.
func (r PartnerRole) Valid() bool { return r == Recruiter || r == PartnerAdmin }

// Membership says a user works for a partner, and as what.
type Membership struct {
	PartnerID   int64
	PartnerSlug string
	PartnerName string
	Role        PartnerRole
}

// User is someone who can sign in.
type User struct {
	ID                int64
	Email             string
	Name              string
	Role              Role
	EmailVerified     bool
	Disabled          bool
	TOTPEnabled       bool
	PasswordChangedAt time.Time
	CreatedAt         time.Time
	LastSignInAt      time.Time    // zero when never
	Memberships       []Membership // filled by Get, ByEmail, Authenticate and List; ordered by partner name
}

// IsAdmin reports whether u runs the whole site.
func (u User) IsAdmin() bool { return u.Role == Admin }

// CanEdit reports whether u may edit site content: editors and admins.
func (u User) CanEdit() bool { return u.Role == Editor || u.Role == Admin }

// Membership returns u's membership of the partner, if any.
func (u User) Membership(partnerID int64) (Membership, bool) {
	for _, m := range u.Memberships {
		if m.PartnerID == partnerID {
			return m, true
		}
	}
	return Membership{}, false
}

// CanRecruitFor reports whether u may post and manage the partner's
// vacancies: any member of it, or an admin.
func (u User) CanRecruitFor(partnerID int64) bool {
	_, ok := u.Membership(partnerID)
	return ok || u.IsAdmin()
}

// CanManagePartner reports whether u may change the partner and its
// members: its partner admins, or an admin.
func (u User) CanManagePartner(partnerID int64) bool {
	m, ok := u.Membership(partnerID)
	return (ok && m.Role == PartnerAdmin) || u.IsAdmin()
}

// IsRecruiter reports whether u belongs to any partner.
func (u User) IsRecruiter() bool { return len(u.Memberships) > 0 }

// NeedsTwoFactor reports whether u must use two-factor authentication:
// admins and partner admins, who can change other people's access.
func (u User) NeedsTwoFactor() bool {
	if u.IsAdmin() {
		return true
	}
	return slices.ContainsFunc(u.Memberships, func(m Membership) bool { return m.Role == PartnerAdmin })
}

var (
	ErrNotFound          = errors.New("user not found")
	ErrEmailTaken        = errors.New("an account with that email address already exists")
	ErrBadCredentials    = errors.New("email address or password is wrong")
	ErrDisabled          = errors.New("account is disabled")
	ErrTokenInvalid      = errors.New("link is invalid, expired or already used")
	ErrBadCode           = errors.New("security code is wrong")
	ErrInvitationInvalid = errors.New("invitation is invalid, expired or already accepted")

	ErrTwoFactorEnabled    = errors.New("two-factor authentication is already on")
	ErrTwoFactorNotEnabled = errors.New("two-factor authentication is not on")
)

// domainErrors are returned as they are: callers compare them and show
// people their own message, so no operation is wrapped around them.
var domainErrors = []error{ErrNotFound, ErrEmailTaken, ErrBadCredentials, ErrDisabled, ErrTokenInvalid,
	ErrBadCode, ErrInvitationInvalid, ErrTwoFactorEnabled, ErrTwoFactorNotEnabled}

// ValidationError carries field errors written for people, keyed by form
// field.
type ValidationError map[string]string

func (e ValidationError) Error() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e[k]
	}
	return "invalid account details: " + strings.Join(parts, "; ")
}

// Store reads and writes accounts.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
	box  cipher.AEAD // seals two-factor secrets at rest; nil stores them as they are
}

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	go dummyHash() // ready before the first sign-in, so even that one takes no longer for an unknown address
	return &Store{pool: pool, now: time.Now}
}

// SetClock replaces the clock used for expiry and timestamps (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

const userColumns = `u.id, u.email, u.name, u.role, u.email_verified_at IS NOT NULL, u.disabled_at IS NOT NULL,
	u.totp_enabled_at IS NOT NULL, u.password_changed_at, u.created_at, u.last_sign_in_at`

const selectUser = `SELECT ` + userColumns + ` FROM users u`

func scanUser(row pgx.Row, u *User, extra ...any) error {
	var lastSignIn *time.Time
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.EmailVerified, &u.Disabled,
		&u.TOTPEnabled, &u.PasswordChangedAt, &u.CreatedAt, &lastSignIn}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	if lastSignIn != nil {
		u.LastSignInAt = *lastSignIn
	}
	return nil
}

// Get returns the user with id and their memberships, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (u User, err error) {
	defer wrap(&err, "get user %d", id)
	return s.one(ctx, `WHERE u.id = $1`, id)
}

// ByEmail returns the user with that address (any case), or ErrNotFound.
func (s *Store) ByEmail(ctx context.Context, email string) (u User, err error) {
	defer wrap(&err, "get user by email")
	return s.one(ctx, `WHERE u.email = $1`, strings.TrimSpace(email))
}

func (s *Store) one(ctx context.Context, where string, arg any) (u User, err error) {
	if err := scanUser(s.pool.QueryRow(ctx, selectUser+" "+where, arg), &u); errors.Is(err, pgx.ErrNoRows) {
		return u, ErrNotFound
	} else if err != nil {
		return u, err
	}
	ms, err := s.memberships(ctx, u.ID)
	u.Memberships = ms[u.ID]
	return u, err
}

// memberships returns the memberships of the users, by user id.
func (s *Store) memberships(ctx context.Context, userIDs ...int64) (map[int64][]Membership, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT m.user_id, p.id, p.slug, p.name, m.role
		FROM memberships m JOIN partners p ON p.id = m.partner_id
		WHERE m.user_id = ANY($1)
		ORDER BY lower(p.name), p.id`, userIDs)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	defer rows.Close()
	byUser := map[int64][]Membership{}
	for rows.Next() {
		var userID int64
		var m Membership
		if err := rows.Scan(&userID, &m.PartnerID, &m.PartnerSlug, &m.PartnerName, &m.Role); err != nil {
			return nil, fmt.Errorf("memberships: %w", err)
		}
		byUser[userID] = append(byUser[userID], m)
	}
	return byUser, rows.Err()
}

// ListFilter narrows List. Zero fields do not filter.
type ListFilter struct {
	Query     string // part of the e-mail address or name, any case
	Role      Role
	PartnerID int64 // members of this partner
	Page      int   // 1-based
	PerPage   int   // 50 when zero, at most 200
}

// List returns a page of users ordered by name, with their memberships, and
// how many match in all.
func (s *Store) List(ctx context.Context, f ListFilter) (users []User, total int, err error) {
	defer wrap(&err, "list users")
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if q := strings.TrimSpace(f.Query); q != "" {
		p := arg("%" + escapeLike(q) + "%")
		where = append(where, "(u.email ILIKE "+p+" OR u.name ILIKE "+p+")")
	}
	if f.Role != "" {
		where = append(where, "u.role = "+arg(f.Role))
	}
	if f.PartnerID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.partner_id = "+arg(f.PartnerID)+")")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM users u`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := pageBounds(f.Page, f.PerPage)
	rows, err := s.pool.Query(ctx, selectUser+cond+` ORDER BY lower(u.name), u.email LIMIT `+arg(limit)+` OFFSET `+arg(offset), args...)
	if err != nil {
		return nil, 0, err
	}
	users, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (User, error) {
		var u User
		return u, scanUser(row, &u)
	})
	if err != nil || len(users) == 0 {
		return users, total, err
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	ms, err := s.memberships(ctx, ids...)
	for i := range users {
		users[i].Memberships = ms[users[i].ID]
	}
	return users, total, err
}

func pageBounds(page, perPage int) (limit, offset int) {
	if perPage <= 0 {
		perPage = 50
	}
	perPage = min(perPage, 200)
	page = max(page, 1)
	return perPage, (page - 1) * perPage
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SetRole changes the user's system role.
func (s *Store) SetRole(ctx context.Context, id int64, role Role) (err error) {
	defer wrap(&err, "set role of user %d", id)
	if !role.Valid() {
		return ValidationError{"role": "Choose a role"}
	}
	return s.updateOne(ctx, `UPDATE users SET role = $2, updated_at = $3 WHERE id = $1`, id, role, s.now())
}

// SetDisabled disables or re-enables sign-in for the user. Callers should
// also end the user's sessions when disabling.
func (s *Store) SetDisabled(ctx context.Context, id int64, disabled bool) (err error) {
	defer wrap(&err, "set disabled of user %d", id)
	return s.updateOne(ctx, `
		UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, $3) END, updated_at = $3
		WHERE id = $1`, id, disabled, s.now())
}

// UpdateName changes the user's name.
func (s *Store) UpdateName(ctx context.Context, id int64, name string) (err error) {
	defer wrap(&err, "update name of user %d", id)
	name = strings.TrimSpace(name)
	if msg := validateName(name); msg != "" {
		return ValidationError{"name": msg}
	}
	return s.updateOne(ctx, `UPDATE users SET name = $2, updated_at = $3 WHERE id = $1`, id, name, s.now())
}

// MarkEmailVerified records that the user proved they receive mail at
// their address.
func (s *Store) MarkEmailVerified(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "mark email of user %d verified", id)
	return s.updateOne(ctx, `
		UPDATE users SET email_verified_at = coalesce(email_verified_at, $2), updated_at = $2
		WHERE id = $1`, id, s.now())
}

// updateOne runs an update of one row, giving ErrNotFound when none matched.
func (s *Store) updateOne(ctx context.Context, sql string, args ...any) error {
	tag, err := s.pool.Exec(ctx, sql, args...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// isForeignKeyViolation reports whether err is a reference to a missing row.
func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}

func wrap(err *error, format string, args ...any) {
	if *err == nil {
		return
	}
	var verr ValidationError
	if errors.As(*err, &verr) {
		return
	}
	for _, e := range domainErrors {
		if errors.Is(*err, e) {
			return
		}
	}
	*err = fmt.Errorf(format+": %w", append(args, *err)...)
}
