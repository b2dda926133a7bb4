package accounts

import (
	"context"
	_ "embed"
	"errors"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/jackc/pgx/v5"
)

// hashParams follow OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane):
// a fixed parallelism keeps hashes identical across machines, and the low
// memory lets a small web node verify several sign-ins at once. Hashes
// made with other parameters are upgraded at the next sign-in.
var hashParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func hashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, hashParams)
}

// dummyHash is compared against when no account matches, so a wrong e-mail
// address takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := hashPassword("not the password of anyone at all")
	if err != nil {
		panic(err)
	}
	return h
})

//go:embed common_passwords.txt
var commonPasswordList string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for line := range strings.Lines(commonPasswordList) {
		if p := strings.TrimSpace(line); p != "" && !strings.HasPrefix(p, "#") {
			set[strings.ToLower(p)] = true
		}
	}
	return set
})

// ValidatePassword returns what is wrong with password for the person with
// that e-mail address and name, or "" when it is fine.
func ValidatePassword(password, email, name string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n == 0:
		return "Enter a password"
	case n < 10:
		return "Password must be 10 characters or more"
	case n > 128:
		return "Password must be 128 characters or fewer"
	}
	lower := strings.ToLower(password)
	if commonPasswords()[lower] {
		return "This password is too common and easy to guess. Choose a different one"
	}
	for _, part := range personalParts(email, name) {
		if strings.Contains(lower, part) {
			return "Password must not contain your email address or name"
		}
	}
	return ""
}

// personalParts are the pieces of an address and name a password must not
// contain. Very short pieces are skipped: forbidding "jo" would refuse
// half of all passwords without making any safer.
func personalParts(email, name string) []string {
	var parts []string
	add := func(p string) {
		if utf8.RuneCountInString(p) >= 3 {
			parts = append(parts, p)
		}
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if local, _, ok := strings.Cut(email, "@"); ok {
		add(local)
	}
	words := strings.Fields(strings.ToLower(name))
	if len(words) > 1 {
		add(strings.Join(words, ""))
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 4 {
			add(w)
		}
	}
	return parts
}

// looksLikeEmail is deliberately loose: the only real test of an address
// is a verification e-mail.
var looksLikeEmail = regexp.MustCompile(`^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$`)

func validateEmail(email string) string {
	switch {
	case email == "":
		return "Enter an email address"
	case len(email) > 254:
		return "Email address must be 254 characters or fewer"
	case !looksLikeEmail.MatchString(email):
		return "Enter an email address in the correct format, like name@example.com"
	}
	return ""
}

func validateName(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "Enter your name"
	case n > 100:
		return "Name must be 100 characters or fewer"
	}
	return ""
}

// validateSignUp trims email and name and returns field errors.
func validateSignUp(email, name *string, password string) ValidationError {
	*email, *name = strings.TrimSpace(*email), strings.TrimSpace(*name)
	errs := ValidationError{}
	if msg := validateEmail(*email); msg != "" {
		errs["email"] = msg
	}
	if msg := validateName(*name); msg != "" {
		errs["name"] = msg
	}
	if msg := ValidatePassword(password, *email, *name); msg != "" {
		errs["password"] = msg
	}
	return errs
}

// SignUp creates a job seeker's account. It returns ErrEmailTaken when the
// address already has one: the caller should mail its owner rather than
// say so on the page.
func (s *Store) SignUp(ctx context.Context, email, name, password string) (u User, err error) {
	defer wrap(&err, "sign up")
	if errs := validateSignUp(&email, &name, password); len(errs) > 0 {
		return u, errs
	}
	hash, err := hashPassword(password)
	if err != nil {
		return u, err
	}
	now := s.now()
	row := s.pool.QueryRow(ctx, `
		INSERT INTO users (email, name, password_hash, password_changed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4, $4)
		ON CONFLICT (email) DO NOTHING
		RETURNING id, email, name, role, false, false, false, password_changed_at, created_at, last_sign_in_at`,
		email, name, hash, now)
	if err := scanUser(row, &u); errors.Is(err, pgx.ErrNoRows) {
		return u, ErrEmailTaken
	} else if err != nil {
		return u, err
	}
	return u, nil
}

// Authenticate checks an e-mail address and password and records the
// sign-in. A disabled account is only reported once its password matched,
// so ErrDisabled reveals nothing to someone guessing.
func (s *Store) Authenticate(ctx context.Context, email, password string) (u User, err error) {
	defer wrap(&err, "authenticate")
	var hash string
	err = scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+`, u.password_hash FROM users u WHERE u.email = $1`,
		strings.TrimSpace(email)), &u, &hash)
	found := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return User{}, err
	}
	if !found {
		hash = dummyHash()
	}
	match, params, err := argon2id.CheckHash(password, hash)
	if err != nil {
		return User{}, err
	}
	if !found || !match {
		return User{}, ErrBadCredentials
	}
	if u.Disabled {
		return User{}, ErrDisabled
	}
	now := s.now()
	if _, err := s.pool.Exec(ctx, `UPDATE users SET last_sign_in_at = $2 WHERE id = $1`, u.ID, now); err != nil {
		return User{}, err
	}
	u.LastSignInAt = now
	if *params != *hashParams {
		if err := s.rehash(ctx, u.ID, hash, password); err != nil {
			return User{}, err
		}
	}
	ms, err := s.memberships(ctx, u.ID)
	u.Memberships = ms[u.ID]
	return u, err
}

// rehash stores the password again with the current parameters, unless it
// changed meanwhile.
func (s *Store) rehash(ctx context.Context, id int64, old, password string) error {
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2`, id, old, hash)
	return err
}

// ChangePassword replaces the password of a signed-in user who knows the
// current one, and ends any password reset links still pending.
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next string) (err error) {
	defer wrap(&err, "change password of user %d", id)
	var hash, email, name string
	err = s.pool.QueryRow(ctx, `SELECT password_hash, email, name FROM users WHERE id = $1`, id).Scan(&hash, &email, &name)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	if match, err := argon2id.ComparePasswordAndHash(current, hash); err != nil {
		return err
	} else if !match {
		return ErrBadCredentials
	}
	if msg := ValidatePassword(next, email, name); msg != "" {
		return ValidationError{"new_password": msg}
	}
	return s.storePassword(ctx, id, next)
}

// SetPassword replaces the password of a user who followed a reset link.
func (s *Store) SetPassword(ctx context.Context, id int64, next string) (err error) {
	defer wrap(&err, "set password of user %d", id)
	var email, name string
	err = s.pool.QueryRow(ctx, `SELECT email, name FROM users WHERE id = $1`, id).Scan(&email, &name)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	if msg := ValidatePassword(next, email, name); msg != "" {
		return ValidationError{"password": msg}
	}
	return s.storePassword(ctx, id, next)
}

func (s *Store) storePassword(ctx context.Context, id int64, password string) error {
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	now := s.now()
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1`, id, hash, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		_, err = tx.Exec(ctx, `
			DELETE FROM account_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, id, ResetPassword)
		return err
	})
}

// CreateAdmin creates a verified admin, or makes the existing account with
// that address one: verified, enabled, with the given name and, unless
// password is empty, the given password. It is for the command line.
func (s *Store) CreateAdmin(ctx context.Context, email, name, password string) (u User, err error) {
	defer wrap(&err, "create admin")
	errs := validateSignUp(&email, &name, password)
	if password == "" {
		delete(errs, "password") // kept for an existing account; checked again below for a new one
	}
	if len(errs) > 0 {
		return u, errs
	}
	var hash *string
	if password != "" {
		h, err := hashPassword(password)
		if err != nil {
			return u, err
		}
		hash = &h
	}
	now := s.now()
	var id int64
	if hash == nil {
		// Promote only: a new account needs a password.
		err = s.pool.QueryRow(ctx, `
			UPDATE users SET role = 'admin', name = $2, email_verified_at = coalesce(email_verified_at, $3),
				disabled_at = NULL, updated_at = $3
			WHERE email = $1
			RETURNING id`, email, name, now).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return u, ValidationError{"password": ValidatePassword("", email, name)}
		}
	} else {
		err = s.pool.QueryRow(ctx, `
			INSERT INTO users (email, name, password_hash, role, email_verified_at, password_changed_at, created_at, updated_at)
			VALUES ($1, $2, $3, 'admin', $4, $4, $4, $4)
			ON CONFLICT (email) DO UPDATE SET role = 'admin', name = excluded.name, password_hash = excluded.password_hash,
				email_verified_at = coalesce(users.email_verified_at, $4), disabled_at = NULL,
				password_changed_at = $4, updated_at = $4
			RETURNING id`, email, name, *hash, now).Scan(&id)
	}
	if err != nil {
		return u, err
	}
	return s.Get(ctx, id)
}
