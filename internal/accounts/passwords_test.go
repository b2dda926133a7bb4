package accounts_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/testenv"
)

func TestSignUp_ExplainsEachWrongField(t *testing.T) {
	s, _ := newStore(t)
	cases := []struct {
		name, email, person, password string
		field, want                   string
	}{
		{"no email", "  ", "Sam", goodPassword, "email", "Enter an email address"},
		{"not an address", "sam.example.org", "Sam", goodPassword, "email", "Enter an email address in the correct format, like name@example.com"},
		{"no domain dot", "sam@localhost", "Sam", goodPassword, "email", "Enter an email address in the correct format, like name@example.com"},
		{"too long address", strings.Repeat("a", 250) + "@example.org", "Sam", goodPassword, "email", "Email address must be 254 characters or fewer"},
		{"no name", "sam@example.org", "   ", goodPassword, "name", "Enter your name"},
		{"long name", "sam@example.org", strings.Repeat("n", 101), goodPassword, "name", "Name must be 100 characters or fewer"},
		{"no password", "sam@example.org", "Sam", "", "password", "Enter a password"},
		{"short password", "sam@example.org", "Sam", "short-pw1", "password", "Password must be 10 characters or more"},
		{"long password", "sam@example.org", "Sam", strings.Repeat("p", 129), "password", "Password must be 128 characters or fewer"},
		{"common password", "sam@example.org", "Sam", "Password123", "password", "This password is too common and easy to guess. Choose a different one"},
		{"contains address", "florence@example.org", "Sam", "my-florence-pw", "password", "Password must not contain your email address or name"},
		{"contains name", "sam@example.org", "Mary Seacole", "i-am-SEACOLE-99", "password", "Password must not contain your email address or name"},
	}
	for _, c := range cases {
		_, err := s.SignUp(ctx, c.email, c.person, c.password)
		var verr accounts.ValidationError
		if !errors.As(err, &verr) || verr[c.field] != c.want {
			t.Errorf("%s: got %v, want %s: %q", c.name, err, c.field, c.want)
		}
	}
}

func TestValidatePassword_AcceptsALongUnusualPassword(t *testing.T) {
	if msg := accounts.ValidatePassword("fen valley ward rounds 7", "sam@example.org", "Sam Smith"); msg != "" {
		t.Errorf("refused: %s", msg)
	}
	// Two-letter local parts and short names are too short to forbid.
	if msg := accounts.ValidatePassword("jo-and-the-tide-42", "jo@example.org", "Jo Li"); msg != "" {
		t.Errorf("refused for a short address part: %s", msg)
	}
}

func TestSignUp_StoresAnArgon2idHashAndTrimmedDetails(t *testing.T) {
	s, _ := newStore(t)
	u, err := s.SignUp(ctx, "  sam@example.org ", "  Sam Smith ", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "sam@example.org" || u.Name != "Sam Smith" || u.Role != accounts.Jobseeker || u.EmailVerified {
		t.Errorf("new user %+v", u)
	}
	var hash string
	if err := testenv.Pool(t).QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, goodPassword) {
		t.Errorf("stored hash %q is not argon2id", hash)
	}
}

func TestSignUp_RefusesAnAddressTakenInAnyCase(t *testing.T) {
	s, _ := newStore(t)
	signUp(t, s, "Sam@Example.org")
	if _, err := s.SignUp(ctx, "sam@EXAMPLE.ORG", "Other Sam", goodPassword); !errors.Is(err, accounts.ErrEmailTaken) {
		t.Errorf("got %v, want ErrEmailTaken", err)
	}
}

func TestAuthenticate_RightWrongUnknownAndDisabled(t *testing.T) {
	s, c := newStore(t)
	u := signUp(t, s, "sam@example.org")
	if !u.LastSignInAt.IsZero() {
		t.Errorf("new user has signed in at %v", u.LastSignInAt)
	}
	got, err := s.Authenticate(ctx, "SAM@example.org", goodPassword)
	if err != nil || got.ID != u.ID {
		t.Fatalf("right password: %+v, %v", got, err)
	}
	if again, _ := s.Get(ctx, u.ID); !again.LastSignInAt.Equal(c.Now().Truncate(time.Microsecond)) {
		t.Errorf("last sign-in %v, want %v", again.LastSignInAt, c.Now())
	}
	if _, err := s.Authenticate(ctx, "sam@example.org", "wrong password here"); !errors.Is(err, accounts.ErrBadCredentials) {
		t.Errorf("wrong password: %v, want ErrBadCredentials", err)
	}
	if _, err := s.Authenticate(ctx, "nobody@example.org", goodPassword); !errors.Is(err, accounts.ErrBadCredentials) {
		t.Errorf("unknown address: %v, want ErrBadCredentials", err)
	}
	must(t, s.SetDisabled(ctx, u.ID, true))
	if _, err := s.Authenticate(ctx, "sam@example.org", "wrong password here"); !errors.Is(err, accounts.ErrBadCredentials) {
		t.Errorf("disabled, wrong password: %v, want ErrBadCredentials (say nothing more)", err)
	}
	if _, err := s.Authenticate(ctx, "sam@example.org", goodPassword); !errors.Is(err, accounts.ErrDisabled) {
		t.Errorf("disabled, right password: %v, want ErrDisabled", err)
	}
}

func TestAuthenticate_UpgradesAHashMadeWithOtherParameters(t *testing.T) {
	s, _ := newStore(t)
	u := signUp(t, s, "sam@example.org")
	pool := testenv.Pool(t)
	old, err := argon2id.CreateHash(goodPassword, &argon2id.Params{Memory: 8 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32})
	must(t, err)
	_, err = pool.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, u.ID, old)
	must(t, err)
	var hash string
	if _, err := s.Authenticate(ctx, "sam@example.org", goodPassword); err != nil {
		t.Fatal(err)
	}
	must(t, pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&hash))
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash not upgraded: %s", hash)
	}
}

func TestChangePassword_NeedsTheCurrentOneAndAGoodNewOne(t *testing.T) {
	s, c := newStore(t)
	u := signUp(t, s, "sam@example.org")
	if err := s.ChangePassword(ctx, u.ID, "not my password", "another fine password"); !errors.Is(err, accounts.ErrBadCredentials) {
		t.Errorf("wrong current password: %v, want ErrBadCredentials", err)
	}
	var verr accounts.ValidationError
	if err := s.ChangePassword(ctx, u.ID, goodPassword, "short"); !errors.As(err, &verr) || verr["new_password"] == "" {
		t.Errorf("weak new password: %v, want a new_password error", err)
	}
	reset, err := s.NewToken(ctx, u.ID, accounts.ResetPassword, time.Hour)
	must(t, err)
	c.Advance(time.Minute)
	must(t, s.ChangePassword(ctx, u.ID, goodPassword, "another fine password"))
	if _, err := s.Authenticate(ctx, "sam@example.org", "another fine password"); err != nil {
		t.Errorf("new password refused: %v", err)
	}
	if got, _ := s.Get(ctx, u.ID); !got.PasswordChangedAt.After(u.PasswordChangedAt) {
		t.Errorf("password_changed_at not updated: %v then %v", u.PasswordChangedAt, got.PasswordChangedAt)
	}
	if _, err := s.UseToken(ctx, reset, accounts.ResetPassword); !errors.Is(err, accounts.ErrTokenInvalid) {
		t.Errorf("reset link still works after a password change: %v", err)
	}
}

func TestSetPassword_ValidatesUnderThePasswordField(t *testing.T) {
	s, _ := newStore(t)
	u := signUp(t, s, "sam@example.org")
	var verr accounts.ValidationError
	if err := s.SetPassword(ctx, u.ID, "password123"); !errors.As(err, &verr) || verr["password"] == "" {
		t.Errorf("common password: %v, want a password error", err)
	}
	must(t, s.SetPassword(ctx, u.ID, "a brand new passphrase"))
	if _, err := s.Authenticate(ctx, "sam@example.org", "a brand new passphrase"); err != nil {
		t.Errorf("new password refused: %v", err)
	}
}

func TestCreateAdmin_CreatesOrPromotesAVerifiedAdmin(t *testing.T) {
	s, _ := newStore(t)
	created, err := s.CreateAdmin(ctx, "root@example.org", "Site Admin", goodPassword)
	if err != nil || created.Role != accounts.Admin || !created.EmailVerified {
		t.Fatalf("create: %+v, %v", created, err)
	}
	u := signUp(t, s, "ed@example.org")
	must(t, s.SetDisabled(ctx, u.ID, true))
	promoted, err := s.CreateAdmin(ctx, "ED@example.org", "Ed Admin", "")
	if err != nil || promoted.ID != u.ID || promoted.Role != accounts.Admin || !promoted.EmailVerified || promoted.Disabled {
		t.Fatalf("promote: %+v, %v", promoted, err)
	}
	if _, err := s.Authenticate(ctx, "ed@example.org", goodPassword); err != nil {
		t.Errorf("promotion without a password changed it: %v", err)
	}
	var verr accounts.ValidationError
	if _, err := s.CreateAdmin(ctx, "new@example.org", "New Admin", ""); !errors.As(err, &verr) || verr["password"] == "" {
		t.Errorf("new admin without password: %v, want a password error", err)
	}
}
