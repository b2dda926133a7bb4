package accounts_test

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/testenv"
)

// twoFactorUser returns a user with two-factor on, its secret and recovery
// codes, with the store's clock at the start of a time step.
func twoFactorUser(t *testing.T) (*accounts.Store, *clock, accounts.User, string, []string) {
	t.Helper()
	s, c := newStore(t)
	c.now = time.Unix(1_800_000_000-1_800_000_000%30, 0)
	u := signUp(t, s, "")
	secret, _, err := s.BeginTwoFactor(ctx, u.ID, "Regional Careers")
	must(t, err)
	codes, err := s.ConfirmTwoFactor(ctx, u.ID, code(t, secret, c.Now()))
	must(t, err)
	return s, c, u, secret, codes
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	must(t, err)
	return c
}

func TestBeginTwoFactor_GivesASecretAndAnOtpauthURL(t *testing.T) {
	s, _ := newStore(t)
	u := signUp(t, s, "sam@example.org")
	secret, link, err := s.BeginTwoFactor(ctx, u.ID, "Regional Careers")
	must(t, err)
	parsed, err := url.Parse(link)
	must(t, err)
	q := parsed.Query()
	if parsed.Scheme != "otpauth" || parsed.Host != "totp" || q.Get("secret") != secret || q.Get("issuer") != "Regional Careers" ||
		!strings.Contains(parsed.Path, "sam@example.org") {
		t.Errorf("otpauth URL %s", link)
	}
	again, _, err := s.BeginTwoFactor(ctx, u.ID, "Regional Careers")
	if err != nil || again == secret {
		t.Errorf("beginning again: %v, same secret %v", err, again == secret)
	}
	if got, _ := s.Get(ctx, u.ID); got.TOTPEnabled {
		t.Errorf("enabled before confirming")
	}
}

func TestConfirmTwoFactor_NeedsACodeFromThePendingSecret(t *testing.T) {
	s, c := newStore(t)
	u := signUp(t, s, "")
	if _, err := s.ConfirmTwoFactor(ctx, u.ID, "123456"); !errors.Is(err, accounts.ErrTwoFactorNotEnabled) {
		t.Errorf("confirm without beginning: %v", err)
	}
	old, _, err := s.BeginTwoFactor(ctx, u.ID, "Regional Careers")
	must(t, err)
	secret, _, err := s.BeginTwoFactor(ctx, u.ID, "Regional Careers")
	must(t, err)
	if _, err := s.ConfirmTwoFactor(ctx, u.ID, code(t, old, c.Now())); !errors.Is(err, accounts.ErrBadCode) {
		t.Errorf("code from a replaced secret: %v, want ErrBadCode", err)
	}
	codes, err := s.ConfirmTwoFactor(ctx, u.ID, code(t, secret, c.Now()))
	if err != nil {
		t.Fatal(err)
	}
	format := regexp.MustCompile(`^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{2}$`)
	seen := map[string]bool{}
	for _, rc := range codes {
		if !format.MatchString(rc) || seen[rc] {
			t.Errorf("recovery code %q: wrong format or repeated", rc)
		}
		seen[rc] = true
	}
	if len(codes) != 10 {
		t.Errorf("%d recovery codes, want 10", len(codes))
	}
	if got, _ := s.Get(ctx, u.ID); !got.TOTPEnabled {
		t.Errorf("not enabled after confirming")
	}
	if _, _, err := s.BeginTwoFactor(ctx, u.ID, "Regional Careers"); !errors.Is(err, accounts.ErrTwoFactorEnabled) {
		t.Errorf("begin when enabled: %v, want ErrTwoFactorEnabled", err)
	}
}

func TestVerifySecondFactor_RefusesAReplayedCode(t *testing.T) {
	s, c, u, secret, _ := twoFactorUser(t)
	// The confirming code used this step; the next step's code works once.
	if _, err := s.VerifySecondFactor(ctx, u.ID, code(t, secret, c.Now())); !errors.Is(err, accounts.ErrBadCode) {
		t.Errorf("the confirming code again: %v, want ErrBadCode", err)
	}
	c.Advance(30 * time.Second)
	next := code(t, secret, c.Now())
	spaced := next[:3] + " " + next[3:]
	if used, err := s.VerifySecondFactor(ctx, u.ID, spaced); err != nil || used {
		t.Fatalf("fresh code: recovery %v, %v", used, err)
	}
	if _, err := s.VerifySecondFactor(ctx, u.ID, next); !errors.Is(err, accounts.ErrBadCode) {
		t.Errorf("replayed code: %v, want ErrBadCode", err)
	}
	c.Advance(5 * time.Minute)
	if _, err := s.VerifySecondFactor(ctx, u.ID, next); !errors.Is(err, accounts.ErrBadCode) {
		t.Errorf("stale code: %v, want ErrBadCode", err)
	}
	if _, err := s.VerifySecondFactor(ctx, u.ID, code(t, secret, c.Now().Add(-30*time.Second))); err != nil {
		t.Errorf("code one step behind (clock drift): %v", err)
	}
}

func TestVerifySecondFactor_ARecoveryCodeWorksOnce(t *testing.T) {
	s, _, u, _, codes := twoFactorUser(t)
	typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
	if used, err := s.VerifySecondFactor(ctx, u.ID, typed); err != nil || !used {
		t.Fatalf("recovery code: used %v, %v", used, err)
	}
	if _, err := s.VerifySecondFactor(ctx, u.ID, codes[3]); !errors.Is(err, accounts.ErrBadCode) {
		t.Errorf("recovery code twice: %v, want ErrBadCode", err)
	}
	if left, err := s.RecoveryCodesLeft(ctx, u.ID); err != nil || left != 9 {
		t.Errorf("codes left %d, %v; want 9", left, err)
	}
	if _, err := s.VerifySecondFactor(ctx, u.ID, "abcd-efgh-jk"); !errors.Is(err, accounts.ErrBadCode) {
		t.Errorf("made-up recovery code: %v, want ErrBadCode", err)
	}
}

func TestRegenerateRecoveryCodes_EndsTheOldOnes(t *testing.T) {
	s, _, u, _, old := twoFactorUser(t)
	fresh, err := s.RegenerateRecoveryCodes(ctx, u.ID)
	if err != nil || len(fresh) != 10 {
		t.Fatalf("regenerate: %d codes, %v", len(fresh), err)
	}
	if _, err := s.VerifySecondFactor(ctx, u.ID, old[0]); !errors.Is(err, accounts.ErrBadCode) {
		t.Errorf("old recovery code: %v, want ErrBadCode", err)
	}
	if used, err := s.VerifySecondFactor(ctx, u.ID, fresh[0]); err != nil || !used {
		t.Errorf("new recovery code: %v, %v", used, err)
	}
}

func TestDisableTwoFactor_RemovesSecretAndCodes(t *testing.T) {
	s, c, u, secret, _ := twoFactorUser(t)
	must(t, s.DisableTwoFactor(ctx, u.ID))
	if got, _ := s.Get(ctx, u.ID); got.TOTPEnabled {
		t.Errorf("still enabled")
	}
	if left, _ := s.RecoveryCodesLeft(ctx, u.ID); left != 0 {
		t.Errorf("%d recovery codes left", left)
	}
	c.Advance(30 * time.Second)
	if _, err := s.VerifySecondFactor(ctx, u.ID, code(t, secret, c.Now())); !errors.Is(err, accounts.ErrTwoFactorNotEnabled) {
		t.Errorf("verify after disabling: %v, want ErrTwoFactorNotEnabled", err)
	}
	if _, err := s.RegenerateRecoveryCodes(ctx, u.ID); !errors.Is(err, accounts.ErrTwoFactorNotEnabled) {
		t.Errorf("regenerate after disabling: %v, want ErrTwoFactorNotEnabled", err)
	}
}

func TestTwoFactorSecret_IsSealedAtRestAndOlderPlainOnesStillWork(t *testing.T) {
	s, c, u, secret, _ := twoFactorUser(t)
	pool := testenv.Pool(t)
	var stored string
	must(t, pool.QueryRow(ctx, `SELECT totp_secret FROM users WHERE id = $1`, u.ID).Scan(&stored))
	if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, secret) {
		t.Fatalf("the secret is stored readable: %q", stored)
	}
	// Another key cannot open it.
	other := accounts.NewStore(pool)
	other.SetClock(c.Now)
	other.SetSecretKey([]byte("a different key, also long enough"))
	c.Advance(30 * time.Second)
	if _, err := other.VerifySecondFactor(ctx, u.ID, code(t, secret, c.Now())); err == nil || errors.Is(err, accounts.ErrBadCode) {
		t.Errorf("another key opened the secret: %v", err)
	}
	// A secret stored before sealing still works.
	_, err := pool.Exec(ctx, `UPDATE users SET totp_secret = $2 WHERE id = $1`, u.ID, secret)
	must(t, err)
	if _, err := s.VerifySecondFactor(ctx, u.ID, code(t, secret, c.Now())); err != nil {
		t.Errorf("a plain secret from before: %v", err)
	}
}
