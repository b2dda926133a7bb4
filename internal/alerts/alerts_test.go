package alerts_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/alerts"
	"github.com/regionalcareers/portal/internal/geo"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

const secret = "a-test-secret-that-is-32-bytes-long!"

func newStore(t *testing.T) (*alerts.Store, *pgxpool.Pool) {
	t.Helper()
	pool, _, _ := vt.Stores(t)
	return alerts.NewStore(pool, []byte(secret), geo.Default()), pool
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func query(raw string) url.Values {
	v, err := url.ParseQuery(raw)
	if err != nil {
		panic(err)
	}
	return v
}

func TestSubscribe_SavesTheSearchWithoutPageOrSortAndOnlyAHashOfTheLink(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	token, err := s.Subscribe(ctx, " ada@example.org ", 0, query("q=nurse&location=Wisbech&page=3&sort=closing&band=5"), "Nurse jobs", alerts.Daily)
	must(t, err)
	a, err := s.ByToken(ctx, token)
	must(t, err)
	if a.Email != "ada@example.org" || a.Query != "band=5&distance=10&location=Wisbech&q=nurse" || a.Frequency != alerts.Daily {
		t.Errorf("saved %q %q %q", a.Email, a.Query, a.Frequency)
	}
	if a.Confirmed() || a.Unsubscribed() || a.UserID != 0 {
		t.Errorf("a new alert from a visitor is confirmed=%v unsubscribed=%v user=%d; want pending, no user", a.Confirmed(), a.Unsubscribed(), a.UserID)
	}
	var hash []byte
	must(t, pool.QueryRow(ctx, `SELECT token_hash FROM alerts WHERE id = $1`, a.ID).Scan(&hash))
	if len(hash) != 32 || bytes.Contains([]byte(token), hash) || strings.Contains(token, string(hash)) {
		t.Errorf("token_hash %x is not a SHA-256 kept apart from the token", hash)
	}
	var rows int
	must(t, pool.QueryRow(ctx, `SELECT count(*) FROM alerts WHERE position($1 in query || description || email) > 0`, token).Scan(&rows))
	if rows != 0 {
		t.Error("the raw token is stored in the database")
	}
}

func TestByToken_RefusesTamperedAndForeignTokens(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	token, err := s.Subscribe(ctx, "bob@example.org", 0, nil, "", alerts.Weekly)
	must(t, err)
	other := alerts.NewStore(pool, []byte("another-secret-that-is-32-bytes-long"), geo.Default())
	flipped := []byte(token)
	flipped[len(flipped)-3] ^= 1
	for name, bad := range map[string]string{
		"empty": "", "not base64": "%%%", "one character changed": string(flipped), "cut short": token[:20],
		"signed with another secret": other.Token(1),
	} {
		if _, err := s.ByToken(ctx, bad); !errors.Is(err, alerts.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", name, err)
		}
		if _, err := s.Unsubscribe(ctx, bad); !errors.Is(err, alerts.ErrNotFound) {
			t.Errorf("%s: unsubscribe got %v, want ErrNotFound", name, err)
		}
	}
	if a, err := s.ByToken(ctx, token); err != nil || a.Unsubscribed() {
		t.Errorf("the real token: %v, unsubscribed=%v", err, a.Unsubscribed())
	}
}

func TestSubscribe_RefusesBadInputWithMessagesForPeople(t *testing.T) {
	s, _ := newStore(t)
	for _, tc := range []struct {
		email, query, frequency, field string
	}{
		{"", "", alerts.Daily, "email"},
		{"not-an-address", "", alerts.Daily, "email"},
		{"two@@example.org", "", alerts.Daily, "email"},
		{"ada@example.org", "", "hourly", "frequency"},
		{"ada@example.org", "location=Atlantis", alerts.Daily, "query"},
		{"ada@example.org", "band=99", alerts.Daily, "query"},
	} {
		_, err := s.Subscribe(context.Background(), tc.email, 0, query(tc.query), "", tc.frequency)
		var verr alerts.ValidationError
		if !errors.As(err, &verr) || verr[tc.field] == "" {
			t.Errorf("%q %q %q: got %v, want a message for %s", tc.email, tc.query, tc.frequency, err, tc.field)
		}
	}
}

func TestSubscribe_TheAccountsOwnAddressNeedsNoConfirming(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	userID := vt.User(t, pool)
	var email string
	must(t, pool.QueryRow(ctx, `UPDATE users SET email_verified_at = now() WHERE id = $1 RETURNING email`, userID).Scan(&email))
	token, err := s.Subscribe(ctx, email, userID, query("q=porter"), "Porter jobs", alerts.Instant)
	must(t, err)
	a, err := s.ByToken(ctx, token)
	must(t, err)
	if !a.Confirmed() || a.UserID != userID {
		t.Errorf("confirmed=%v user=%d, want confirmed and owned by %d", a.Confirmed(), a.UserID, userID)
	}
	// An alert the address set up before signing up shows in the account too.
	_, err = s.Subscribe(ctx, strings.ToUpper(email), 0, query("q=cleaner"), "Cleaner jobs", alerts.Weekly)
	must(t, err)
	list, err := s.ListForUser(ctx, userID)
	must(t, err)
	if len(list) != 2 || list[0].Description != "Cleaner jobs" || list[1].Description != "Porter jobs" {
		t.Errorf("account lists %+v, want both alerts, newest first", list)
	}
}

func TestSubscribe_SameSearchAgainIsTheSameAlertAndCannotChangeAConfirmedOne(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	first, err := s.Subscribe(ctx, "cat@example.org", 0, query("q=nurse&sort=newest"), "Nurse jobs", alerts.Weekly)
	must(t, err)
	again, err := s.Subscribe(ctx, "CAT@example.org", 0, query("q=nurse"), "Nurse jobs", alerts.Daily)
	must(t, err)
	if again != first {
		t.Fatal("the same search for the same address made a second alert")
	}
	if a, _ := s.ByToken(ctx, first); a.Frequency != alerts.Daily {
		t.Errorf("a pending alert kept %s, want the new choice daily", a.Frequency)
	}
	_, err = s.Confirm(ctx, first)
	must(t, err)
	_, err = s.Subscribe(ctx, "cat@example.org", 0, query("q=nurse"), "Nurse jobs", alerts.Instant)
	must(t, err)
	if a, _ := s.ByToken(ctx, first); a.Frequency != alerts.Daily || !a.Confirmed() {
		t.Errorf("someone else's subscribe changed a confirmed alert to %s (confirmed=%v)", a.Frequency, a.Confirmed())
	}
	list, err := s.ListForEmail(ctx, "cat@example.org")
	must(t, err)
	if len(list) != 1 {
		t.Errorf("%d alerts for the address, want 1", len(list))
	}
}

func TestUnsubscribe_IsFinalAndCanBeRepeated(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	token, err := s.Subscribe(ctx, "dee@example.org", 0, query("q=physio"), "Physio jobs", alerts.Daily)
	must(t, err)
	_, err = s.Confirm(ctx, token)
	must(t, err)
	first, err := s.Unsubscribe(ctx, token)
	must(t, err)
	again, err := s.Unsubscribe(ctx, token)
	must(t, err)
	if !first.Unsubscribed() || !again.UnsubscribedAt.Equal(first.UnsubscribedAt) {
		t.Errorf("unsubscribed at %v then %v, want the first time kept", first.UnsubscribedAt, again.UnsubscribedAt)
	}
	if a, err := s.Confirm(ctx, token); err != nil || !a.Unsubscribed() {
		t.Errorf("confirming again: %v, unsubscribed=%v; want it to stay ended", err, a.Unsubscribed())
	}
	if _, err := s.ChangeFrequency(ctx, token, alerts.Instant); !errors.Is(err, alerts.ErrUnsubscribed) {
		t.Errorf("changing an ended alert: %v, want ErrUnsubscribed", err)
	}
	if list, _ := s.ListForEmail(ctx, "dee@example.org"); len(list) != 0 {
		t.Errorf("an ended alert is still listed: %+v", list)
	}
	// Subscribing again starts a new alert that needs confirming.
	fresh, err := s.Subscribe(ctx, "dee@example.org", 0, query("q=physio"), "Physio jobs", alerts.Daily)
	must(t, err)
	if a, _ := s.ByToken(ctx, fresh); fresh == token || a.Confirmed() {
		t.Error("subscribing after unsubscribing revived the old alert")
	}
}

func TestChangeFrequency(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	token, err := s.Subscribe(ctx, "eve@example.org", 0, nil, "", alerts.Daily)
	must(t, err)
	a, err := s.ChangeFrequency(ctx, token, alerts.Weekly)
	if err != nil || a.Frequency != alerts.Weekly {
		t.Errorf("got %s, %v; want weekly", a.Frequency, err)
	}
	var verr alerts.ValidationError
	if _, err := s.ChangeFrequency(ctx, token, "monthly"); !errors.As(err, &verr) {
		t.Errorf("monthly: %v, want a validation error", err)
	}
}

func TestDue_FollowsEachFrequency(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	now := time.Now()
	made := map[string]int64{}
	for _, tc := range []struct {
		name, frequency string
		confirmed       bool
		lastSent        time.Duration // ago; 0 = never
	}{
		{"pending", alerts.Instant, false, 0},
		{"instant just sent", alerts.Instant, true, time.Minute},
		{"daily never sent", alerts.Daily, true, 0},
		{"daily sent an hour ago", alerts.Daily, true, time.Hour},
		{"daily sent a day ago", alerts.Daily, true, 24 * time.Hour},
		{"weekly sent three days ago", alerts.Weekly, true, 72 * time.Hour},
		{"weekly sent a week ago", alerts.Weekly, true, 7 * 24 * time.Hour},
	} {
		token, err := s.Subscribe(ctx, strings.ReplaceAll(tc.name, " ", ".")+"@example.org", 0, nil, tc.name, tc.frequency)
		must(t, err)
		a, err := s.ByToken(ctx, token)
		must(t, err)
		if tc.confirmed {
			_, err = s.Confirm(ctx, token)
			must(t, err)
		}
		if tc.lastSent > 0 {
			_, err = pool.Exec(ctx, `UPDATE alerts SET last_sent_at = $2 WHERE id = $1`, a.ID, now.Add(-tc.lastSent))
			must(t, err)
		}
		made[tc.name] = a.ID
	}
	ended, err := s.Subscribe(ctx, "ended@example.org", 0, nil, "ended", alerts.Instant)
	must(t, err)
	_, err = s.Confirm(ctx, ended)
	must(t, err)
	_, err = s.Unsubscribe(ctx, ended)
	must(t, err)

	due, err := s.Due(ctx, now)
	must(t, err)
	want := []int64{made["instant just sent"], made["daily never sent"], made["daily sent a day ago"], made["weekly sent a week ago"]}
	if len(due) != len(want) {
		t.Fatalf("due %v, want %v", due, want)
	}
	for i := range want {
		if due[i] != want[i] {
			t.Errorf("due %v, want %v", due, want)
		}
	}
}

func TestDescribe_SaysWhatTheSearchMatches(t *testing.T) {
	for raw, want := range map[string]string{
		"q=nurse&location=Wisbech&distance=10": "Nurse jobs within 10 miles of Wisbech",
		"q=community++nurse":                   "Community nurse jobs",
		"":                                     "All jobs in the region",
		"band=5&band=6&pattern=part-time":      "Jobs (Band 5 or Band 6; Part time)",
		"location=PE13&distance=1&partner=willow-care": "Jobs within 1 mile of PE13 (Willow Care)",
	} {
		q, err := search.ParseVacancyQuery(query(raw), geo.Default())
		must(t, err)
		got := alerts.Describe(q, func(slug string) string { return map[string]string{"willow-care": "Willow Care"}[slug] })
		if got != want {
			t.Errorf("%q: %q, want %q", raw, got, want)
		}
	}
}
