// Package ratelimit counts attempts in fixed time windows (table
// rate_limits), so every web node shares one count per key: sign-ins per
// address, sign-ups per IP, reset e-mails per account. It must not know
// what it protects nor talk HTTP: callers choose keys and rules and decide
// what to do when refused.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// MaxWindow is the longest window a rule may have: DeleteOld relies on it
// to know that a window has ended without storing each window's length.
const MaxWindow = 24 * time.Hour

// Rule is a limit of Limit attempts per Window. Name keeps rules apart in
// the table, so two rules may use the same key.
type Rule struct {
	Name   string
	Limit  int
	Window time.Duration
}

func (r Rule) check() error {
	if r.Name == "" || r.Limit < 0 || r.Window <= 0 || r.Window > MaxWindow {
		return fmt.Errorf("rate limit rule %+v: want a name, a limit of 0 or more and a window up to %v", r, MaxWindow)
	}
	return nil
}

// Limiter counts attempts in PostgreSQL.
type Limiter struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// New returns a Limiter on pool.
func New(pool *pgxpool.Pool) *Limiter { return &Limiter{pool: pool, now: time.Now} }

// SetClock replaces the clock (tests).
func (l *Limiter) SetClock(now func() time.Time) { l.now = now }

// Allow counts an attempt for key under rule and reports whether it is
// within the limit; when not, retryAfter is the time left in the window.
// Windows are aligned to the clock (a 15-minute window starts at :00, :15,
// :30 and :45), so a burst across a boundary can get up to twice the limit:
// the price of one row and one statement per attempt.
func (l *Limiter) Allow(ctx context.Context, rule Rule, key string) (ok bool, retryAfter time.Duration, err error) {
	if err := rule.check(); err != nil {
		return false, 0, err
	}
	now := l.now()
	start := now.Truncate(rule.Window)
	var count int
	err = l.pool.QueryRow(ctx, `
		INSERT INTO rate_limits AS r (key, window_start, count) VALUES ($1, $2, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET count = r.count + 1
		RETURNING count`, rule.Name+":"+key, start).Scan(&count)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", rule.Name, err)
	}
	if count <= rule.Limit {
		return true, 0, nil
	}
	return false, start.Add(rule.Window).Sub(now), nil
}

// Reset forgets key's attempts under rule, for instance after a
// successful sign-in.
func (l *Limiter) Reset(ctx context.Context, rule Rule, key string) error {
	if rule.Name == "" {
		return errors.New("rate limit reset: rule has no name")
	}
	if _, err := l.pool.Exec(ctx, `DELETE FROM rate_limits WHERE key = $1`, rule.Name+":"+key); err != nil {
		return fmt.Errorf("rate limit reset %s: %w", rule.Name, err)
	}
	return nil
}

// DeleteOld deletes the counts of windows that ended over a day ago, for a
// periodic job, and says how many. No window is longer than MaxWindow, so
// a window that started before then has certainly ended.
func (l *Limiter) DeleteOld(ctx context.Context) (int64, error) {
	tag, err := l.pool.Exec(ctx, `DELETE FROM rate_limits WHERE window_start < $1`, l.now().Add(-24*time.Hour-MaxWindow))
	if err != nil {
		return 0, fmt.Errorf("delete old rate limits: %w", err)
	}
	return tag.RowsAffected(), nil
}
