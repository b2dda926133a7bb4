package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Purpose is what a single-use e-mail link is for.
type Purpose string

const (
	VerifyEmail   Purpose = "verify-email"
	ResetPassword Purpose = "reset-password"
)

func (p Purpose) valid() bool { return p == VerifyEmail || p == ResetPassword }

// newSecret returns a random token for a link and the hash to store: the
// database never holds a usable link.
func newSecret() (raw string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b) // never fails, per crypto/rand
	raw = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256(b)
	return raw, sum[:]
}

// secretHash returns the stored hash of a raw token from a link, or false
// when it cannot be one of ours.
func secretHash(raw string) ([]byte, bool) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(b) != 32 {
		return nil, false
	}
	sum := sha256.Sum256(b)
	return sum[:], true
}

// NewToken makes a single-use link token for the user, valid for ttl, and
// ends any unused one they had for the same purpose: only the newest link
// works.
func (s *Store) NewToken(ctx context.Context, userID int64, p Purpose, ttl time.Duration) (raw string, err error) {
	defer wrap(&err, "new %s token for user %d", p, userID)
	if !p.valid() {
		return "", fmt.Errorf("unknown purpose %q", p)
	}
	raw, hash := newSecret()
	now := s.now()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			DELETE FROM account_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, userID, p); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5)`, hash, userID, p, now.Add(ttl), now)
		if isForeignKeyViolation(err) {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return raw, nil
}

// UseToken spends a token from a link and returns its user. It returns
// ErrTokenInvalid for a token that is unknown, for another purpose,
// expired or already used; two requests racing with one link cannot both
// succeed.
func (s *Store) UseToken(ctx context.Context, raw string, p Purpose) (userID int64, err error) {
	defer wrap(&err, "use %s token", p)
	hash, ok := secretHash(raw)
	if !ok {
		return 0, ErrTokenInvalid
	}
	err = s.pool.QueryRow(ctx, `
		UPDATE account_tokens SET used_at = $3
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
		RETURNING user_id`, hash, p, s.now()).Scan(&userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrTokenInvalid
	}
	return userID, err
}

// CheckToken returns the user of a token that UseToken would accept,
// without spending it: to decide whether to show the form it leads to.
func (s *Store) CheckToken(ctx context.Context, raw string, p Purpose) (userID int64, err error) {
	defer wrap(&err, "check %s token", p)
	hash, ok := secretHash(raw)
	if !ok {
		return 0, ErrTokenInvalid
	}
	err = s.pool.QueryRow(ctx, `
		SELECT user_id FROM account_tokens
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`, hash, p, s.now()).Scan(&userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrTokenInvalid
	}
	return userID, err
}
