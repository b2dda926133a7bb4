package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpOpts is what every authenticator app understands: SHA-1, six digits,
// a new code every 30 seconds, and one step either side for clock drift.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// BeginTwoFactor starts setting up an authenticator app: it keeps a new
// secret pending until ConfirmTwoFactor, replacing any earlier pending one,
// and returns it with the otpauth:// URL for a QR code.
func (s *Store) BeginTwoFactor(ctx context.Context, userID int64, issuer string) (secret, otpauthURL string, err error) {
	defer wrap(&err, "begin two-factor for user %d", userID)
	var email string
	var enabled bool
	err = s.pool.QueryRow(ctx, `SELECT email, totp_enabled_at IS NOT NULL FROM users WHERE id = $1`, userID).Scan(&email, &enabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", ErrNotFound
	} else if err != nil {
		return "", "", err
	}
	if enabled {
		return "", "", ErrTwoFactorEnabled
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: email, Period: totpOpts.Period,
		SecretSize: 20, Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
	if err != nil {
		return "", "", err
	}
	tag, err := s.pool.Exec(ctx, `
		UPDATE users SET totp_secret = $2, totp_last_step = 0, updated_at = $3
		WHERE id = $1 AND totp_enabled_at IS NULL`, userID, s.seal(key.Secret()), s.now())
	if err != nil {
		return "", "", err
	}
	if tag.RowsAffected() == 0 {
		return "", "", ErrTwoFactorEnabled
	}
	return key.Secret(), key.URL(), nil
}

// ConfirmTwoFactor turns two-factor on once the user shows a code from the
// pending secret, and returns their first recovery codes. It returns
// ErrTwoFactorNotEnabled when no set-up was begun.
func (s *Store) ConfirmTwoFactor(ctx context.Context, userID int64, code string) (recoveryCodes []string, err error) {
	defer wrap(&err, "confirm two-factor for user %d", userID)
	secret, stored, enabled, lastStep, err := s.twoFactorState(ctx, userID)
	if err != nil {
		return nil, err
	}
	if enabled {
		return nil, ErrTwoFactorEnabled
	}
	if secret == "" {
		return nil, ErrTwoFactorNotEnabled
	}
	step, ok := matchStep(secret, code, s.now(), lastStep)
	if !ok {
		return nil, ErrBadCode
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The conditions repeat what was read, so a racing confirmation or a
		// new set-up in between makes this one fail rather than mix secrets.
		tag, err := tx.Exec(ctx, `
			UPDATE users SET totp_enabled_at = $4, totp_last_step = $3, updated_at = $4
			WHERE id = $1 AND totp_secret = $2 AND totp_enabled_at IS NULL AND totp_last_step < $3`,
			userID, stored, step, s.now())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrBadCode
		}
		recoveryCodes, err = replaceRecoveryCodes(ctx, tx, userID)
		return err
	})
	return recoveryCodes, err
}

// VerifySecondFactor checks the second step of a sign-in: a current code
// from the app, which then cannot be used again, or an unused recovery
// code, which is spent. Spaces, dashes and case do not matter.
func (s *Store) VerifySecondFactor(ctx context.Context, userID int64, code string) (usedRecoveryCode bool, err error) {
	defer wrap(&err, "verify second factor of user %d", userID)
	secret, _, enabled, lastStep, err := s.twoFactorState(ctx, userID)
	if err != nil {
		return false, err
	}
	if !enabled {
		return false, ErrTwoFactorNotEnabled
	}
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return unicode.ToLower(r)
	}, code)
	if len(code) == totpOpts.Digits.Length() {
		step, ok := matchStep(secret, code, s.now(), lastStep)
		if !ok {
			return false, ErrBadCode
		}
		err := s.updateOne(ctx, `
			UPDATE users SET totp_last_step = $2
			WHERE id = $1 AND totp_enabled_at IS NOT NULL AND totp_last_step < $2`, userID, step)
		if errors.Is(err, ErrNotFound) {
			return false, ErrBadCode // the same code was used a moment ago
		}
		return false, err
	}
	if len(code) != recoveryCodeLength {
		return false, ErrBadCode
	}
	sum := sha256.Sum256([]byte(code))
	err = s.updateOne(ctx, `
		UPDATE recovery_codes SET used_at = $3
		WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, userID, sum[:], s.now())
	if errors.Is(err, ErrNotFound) {
		return false, ErrBadCode
	}
	return err == nil, err
}

// DisableTwoFactor turns two-factor off and deletes the secret and the
// recovery codes.
func (s *Store) DisableTwoFactor(ctx context.Context, userID int64) (err error) {
	defer wrap(&err, "disable two-factor for user %d", userID)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE users SET totp_secret = '', totp_enabled_at = NULL, totp_last_step = 0, updated_at = $2
			WHERE id = $1`, userID, s.now())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		_, err = tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID)
		return err
	})
}

// RegenerateRecoveryCodes replaces all the user's recovery codes with ten
// new ones.
func (s *Store) RegenerateRecoveryCodes(ctx context.Context, userID int64) (codes []string, err error) {
	defer wrap(&err, "regenerate recovery codes of user %d", userID)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var enabled bool
		err := tx.QueryRow(ctx, `SELECT totp_enabled_at IS NOT NULL FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&enabled)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if !enabled {
			return ErrTwoFactorNotEnabled
		}
		codes, err = replaceRecoveryCodes(ctx, tx, userID)
		return err
	})
	return codes, err
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (n int, err error) {
	defer wrap(&err, "count recovery codes of user %d", userID)
	err = s.pool.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	return n, err
}

// twoFactorState reads the user's two-factor secret (opened) and how it is
// stored (to match it in a later update), whether it is on, and the last
// time step used.
func (s *Store) twoFactorState(ctx context.Context, userID int64) (secret, stored string, enabled bool, lastStep int64, err error) {
	err = s.pool.QueryRow(ctx, `
		SELECT totp_secret, totp_enabled_at IS NOT NULL, totp_last_step FROM users WHERE id = $1`, userID).
		Scan(&stored, &enabled, &lastStep)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", false, 0, ErrNotFound
	}
	if err != nil {
		return "", "", false, 0, err
	}
	secret, err = s.open(stored)
	return secret, stored, enabled, lastStep, err
}

// matchStep returns the time step whose code equals code, among the steps
// allowed around now that come after lastStep: a code works once.
func matchStep(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != totpOpts.Digits.Length() {
		return 0, false
	}
	period := int64(totpOpts.Period)
	current := now.Unix() / period
	for step := current - int64(totpOpts.Skew); step <= current+int64(totpOpts.Skew); step++ {
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*period, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

const (
	recoveryCodeCount  = 10
	recoveryCodeLength = 10
	// recoveryAlphabet leaves out 0, 1, i, l and o, which people misread.
	recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"
)

// replaceRecoveryCodes deletes the user's recovery codes and stores the
// hashes of ten new ones, which it returns formatted as xxxx-xxxx-xx.
// SHA-256 is enough: the codes are random, with about 50 bits each.
func replaceRecoveryCodes(ctx context.Context, tx pgx.Tx, userID int64) ([]string, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return nil, err
	}
	codes := make([]string, 0, recoveryCodeCount)
	hashes := make([][]byte, 0, recoveryCodeCount)
	seen := map[string]bool{}
	for len(codes) < recoveryCodeCount {
		code := randomCode()
		if seen[code] {
			continue
		}
		seen[code] = true
		sum := sha256.Sum256([]byte(code))
		hashes = append(hashes, sum[:])
		codes = append(codes, code[:4]+"-"+code[4:8]+"-"+code[8:])
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, userID, hashes)
	return codes, err
}

// randomCode returns recoveryCodeLength characters from recoveryAlphabet,
// uniformly: bytes that would bias the choice are thrown away.
func randomCode() string {
	const n = len(recoveryAlphabet)
	limit := 256 - 256%n
	out := make([]byte, 0, recoveryCodeLength)
	buf := make([]byte, 16)
	for len(out) < recoveryCodeLength {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < recoveryCodeLength {
				out = append(out, recoveryAlphabet[int(b)%n])
			}
		}
	}
	return string(out)
}
