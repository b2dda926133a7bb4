package accounts_test

import (
	"errors"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/testenv"
)

func TestUseToken_WorksOnceForItsOwnPurpose(t *testing.T) {
	s, _ := newStore(t)
	u := signUp(t, s, "")
	raw, err := s.NewToken(ctx, u.ID, accounts.VerifyEmail, time.Hour)
	must(t, err)
	if _, err := s.UseToken(ctx, raw, accounts.ResetPassword); !errors.Is(err, accounts.ErrTokenInvalid) {
		t.Errorf("used for another purpose: %v, want ErrTokenInvalid", err)
	}
	if id, err := s.CheckToken(ctx, raw, accounts.VerifyEmail); err != nil || id != u.ID {
		t.Errorf("check: %d, %v; want user %d", id, err, u.ID)
	}
	if id, err := s.UseToken(ctx, raw, accounts.VerifyEmail); err != nil || id != u.ID {
		t.Fatalf("first use: %d, %v; want user %d", id, err, u.ID)
	}
	if _, err := s.UseToken(ctx, raw, accounts.VerifyEmail); !errors.Is(err, accounts.ErrTokenInvalid) {
		t.Errorf("second use: %v, want ErrTokenInvalid", err)
	}
	if _, err := s.CheckToken(ctx, raw, accounts.VerifyEmail); !errors.Is(err, accounts.ErrTokenInvalid) {
		t.Errorf("check after use: %v, want ErrTokenInvalid", err)
	}
	for _, junk := range []string{"", "not base64!", "c2hvcnQ"} {
		if _, err := s.UseToken(ctx, junk, accounts.VerifyEmail); !errors.Is(err, accounts.ErrTokenInvalid) {
			t.Errorf("token %q: %v, want ErrTokenInvalid", junk, err)
		}
	}
}

func TestUseToken_RefusesAnExpiredToken(t *testing.T) {
	s, c := newStore(t)
	u := signUp(t, s, "")
	raw, err := s.NewToken(ctx, u.ID, accounts.ResetPassword, 30*time.Minute)
	must(t, err)
	c.Advance(31 * time.Minute)
	if _, err := s.CheckToken(ctx, raw, accounts.ResetPassword); !errors.Is(err, accounts.ErrTokenInvalid) {
		t.Errorf("check expired: %v, want ErrTokenInvalid", err)
	}
	if _, err := s.UseToken(ctx, raw, accounts.ResetPassword); !errors.Is(err, accounts.ErrTokenInvalid) {
		t.Errorf("use expired: %v, want ErrTokenInvalid", err)
	}
}

func TestNewToken_EndsTheUsersEarlierTokenOfThatPurposeOnly(t *testing.T) {
	s, _ := newStore(t)
	u, other := signUp(t, s, ""), signUp(t, s, "")
	first, err := s.NewToken(ctx, u.ID, accounts.ResetPassword, time.Hour)
	must(t, err)
	verify, err := s.NewToken(ctx, u.ID, accounts.VerifyEmail, time.Hour)
	must(t, err)
	othersReset, err := s.NewToken(ctx, other.ID, accounts.ResetPassword, time.Hour)
	must(t, err)
	second, err := s.NewToken(ctx, u.ID, accounts.ResetPassword, time.Hour)
	must(t, err)
	if _, err := s.UseToken(ctx, first, accounts.ResetPassword); !errors.Is(err, accounts.ErrTokenInvalid) {
		t.Errorf("older reset link: %v, want ErrTokenInvalid", err)
	}
	for name, raw := range map[string]string{"newer reset": second, "other user's reset": othersReset} {
		if _, err := s.CheckToken(ctx, raw, accounts.ResetPassword); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.CheckToken(ctx, verify, accounts.VerifyEmail); err != nil {
		t.Errorf("verify link ended by a reset link: %v", err)
	}
}

func TestNewToken_StoresOnlyAHash(t *testing.T) {
	s, _ := newStore(t)
	u := signUp(t, s, "")
	raw, err := s.NewToken(ctx, u.ID, accounts.VerifyEmail, time.Hour)
	must(t, err)
	var found bool
	must(t, testenv.Pool(t).QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM account_tokens
		WHERE position(convert_to($1, 'UTF8') IN token_hash) > 0 OR encode(token_hash, 'base64') LIKE '%' || $1 || '%')`, raw).Scan(&found))
	if found {
		t.Errorf("raw token stored")
	}
	if _, err := s.NewToken(ctx, 9999, accounts.VerifyEmail, time.Hour); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("token for a missing user: %v, want ErrNotFound", err)
	}
}

func TestMarkEmailVerified_SetsTheFlag(t *testing.T) {
	s, _ := newStore(t)
	u := signUp(t, s, "")
	must(t, s.MarkEmailVerified(ctx, u.ID))
	if got, _ := s.Get(ctx, u.ID); !got.EmailVerified {
		t.Errorf("not verified")
	}
}
