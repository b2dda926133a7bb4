package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/ratelimit"
	"github.com/regionalcareers/portal/internal/testenv"
)

var ctx = context.Background()

var signIn = ratelimit.Rule{Name: "sign-in", Limit: 3, Window: 15 * time.Minute}

type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) Advance(d time.Duration) { c.now = c.now.Add(d) }

// newLimiter empties the table and returns a limiter whose clock starts
// 5 minutes into a 15-minute window.
func newLimiter(t *testing.T) (*ratelimit.Limiter, *clock) {
	t.Helper()
	pool := testenv.Pool(t)
	if _, err := pool.Exec(ctx, `TRUNCATE rate_limits`); err != nil {
		t.Fatal(err)
	}
	c := &clock{now: time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)}
	l := ratelimit.New(pool)
	l.SetClock(c.Now)
	return l, c
}

func allow(t *testing.T, l *ratelimit.Limiter, rule ratelimit.Rule, key string) (bool, time.Duration) {
	t.Helper()
	ok, retry, err := l.Allow(ctx, rule, key)
	if err != nil {
		t.Fatal(err)
	}
	return ok, retry
}

func TestAllow_RefusesTheAttemptOverTheLimitUntilTheWindowEnds(t *testing.T) {
	l, c := newLimiter(t)
	for i := range signIn.Limit {
		if ok, _ := allow(t, l, signIn, "sam@example.org"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
		c.Advance(time.Minute)
	}
	ok, retry := allow(t, l, signIn, "sam@example.org")
	if ok || retry != 7*time.Minute { // at 9:08, the window ends at 9:15
		t.Errorf("attempt over the limit: ok %v, retry after %v; want refused, 7m", ok, retry)
	}
	c.Advance(7 * time.Minute)
	if ok, _ := allow(t, l, signIn, "sam@example.org"); !ok {
		t.Errorf("refused in the next window")
	}
}

func TestAllow_CountsKeysAndRulesApart(t *testing.T) {
	l, _ := newLimiter(t)
	for range signIn.Limit {
		allow(t, l, signIn, "sam@example.org")
	}
	if ok, _ := allow(t, l, signIn, "sam@example.org"); ok {
		t.Fatalf("limit not reached")
	}
	if ok, _ := allow(t, l, signIn, "ann@example.org"); !ok {
		t.Errorf("another key was refused")
	}
	reset := ratelimit.Rule{Name: "reset-email", Limit: 1, Window: time.Hour}
	if ok, _ := allow(t, l, reset, "sam@example.org"); !ok {
		t.Errorf("the same key under another rule was refused")
	}
}

func TestReset_ForgetsTheKeysAttempts(t *testing.T) {
	l, _ := newLimiter(t)
	for range signIn.Limit + 1 {
		allow(t, l, signIn, "sam@example.org")
	}
	if err := l.Reset(ctx, signIn, "sam@example.org"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := allow(t, l, signIn, "sam@example.org"); !ok {
		t.Errorf("refused after a reset")
	}
}

func TestAllow_RejectsARuleItCannotKeep(t *testing.T) {
	l, _ := newLimiter(t)
	for _, rule := range []ratelimit.Rule{
		{Limit: 1, Window: time.Minute},
		{Name: "weekly", Limit: 1, Window: 7 * 24 * time.Hour},
		{Name: "no-window", Limit: 1},
	} {
		if _, _, err := l.Allow(ctx, rule, "k"); err == nil {
			t.Errorf("rule %+v accepted", rule)
		}
	}
}

func TestDeleteOld_KeepsWindowsThatEndedWithinADay(t *testing.T) {
	l, c := newLimiter(t)
	daily := ratelimit.Rule{Name: "daily", Limit: 5, Window: 24 * time.Hour}
	allow(t, l, daily, "a")  // the window of 2 March, ending 3 March 00:00
	allow(t, l, signIn, "a") // 9:00 to 9:15 on 2 March
	c.Advance(24 * time.Hour)
	if n, err := l.DeleteOld(ctx); err != nil || n != 0 {
		t.Errorf("deleted %d (%v) of windows that ended within a day", n, err)
	}
	c.Advance(24 * time.Hour)
	if n, err := l.DeleteOld(ctx); err != nil || n != 2 {
		t.Errorf("deleted %d (%v), want 2", n, err)
	}
}
