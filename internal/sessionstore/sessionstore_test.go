package sessionstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/gorilla/sessions"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/sessionstore"
	"github.com/regionalcareers/portal/internal/testenv"
)

var ctx = context.Background()

const cookieName = "session"

type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) Advance(d time.Duration) { c.now = c.now.Add(d) }

// newStore empties the sessions and users tables and returns a store with
// a 30-minute idle and 8-hour absolute timeout on a clock the test moves.
func newStore(t *testing.T, secure bool) (*sessionstore.Store, *clock, *pgxpool.Pool) {
	t.Helper()
	pool := testenv.Pool(t)
	if _, err := pool.Exec(ctx, `TRUNCATE users, sessions RESTART IDENTITY CASCADE`); err != nil {
		t.Fatalf("truncate: %v", err)
	}
	c := &clock{now: time.Now().Truncate(time.Second)}
	s := sessionstore.New(pool, sessionstore.Options{CookieName: cookieName, Secure: secure,
		IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 8 * time.Hour, Now: c.Now})
	return s, c, pool
}

func newUser(t *testing.T, pool *pgxpool.Pool) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash) VALUES ($1, 'Test', 'x') RETURNING id`,
		fmt.Sprintf("u%d@example.org", time.Now().UnixNano())).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// browser keeps one cookie between requests, as a browser would.
type browser struct {
	t      *testing.T
	store  *sessionstore.Store
	cookie *http.Cookie
	agent  string
}

// visit runs handle in a request carrying the browser's cookie and keeps
// the cookie the response sets; it returns the response's session cookie.
func (b *browser) visit(handle func(sess *sessions.Session, w http.ResponseWriter, r *http.Request)) *http.Cookie {
	b.t.Helper()
	r := httptest.NewRequest(http.MethodGet, "https://portal.example/account", nil)
	r.RemoteAddr = "203.0.113.9:51234"
	r.Header.Set("User-Agent", b.agent)
	if b.cookie != nil {
		r.AddCookie(&http.Cookie{Name: b.cookie.Name, Value: b.cookie.Value})
	}
	w := httptest.NewRecorder()
	sess, err := b.store.Get(r, cookieName)
	if err != nil {
		b.t.Fatalf("get session: %v", err)
	}
	if again, _ := b.store.Get(r, cookieName); again != sess {
		b.t.Errorf("second Get in one request gave another session")
	}
	handle(sess, w, r)
	var set *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == cookieName {
			set = c
			if c.MaxAge < 0 {
				b.cookie = nil
			} else {
				b.cookie = c
			}
		}
	}
	return set
}

// load returns the browser's session as a request would see it.
func (b *browser) load() *sessions.Session {
	b.t.Helper()
	var got *sessions.Session
	b.visit(func(sess *sessions.Session, _ http.ResponseWriter, _ *http.Request) { got = sess })
	return got
}

func save(t *testing.T, values map[any]any) func(*sessions.Session, http.ResponseWriter, *http.Request) {
	return func(sess *sessions.Session, w http.ResponseWriter, r *http.Request) {
		t.Helper()
		for k, v := range values {
			sess.Values[k] = v
		}
		if err := sess.Save(r, w); err != nil {
			t.Fatalf("save: %v", err)
		}
	}
}

func countRows(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSave_RoundTripsValuesWithInt64UserID(t *testing.T) {
	s, _, pool := newStore(t, false)
	userID := newUser(t, pool)
	b := &browser{t: t, store: s}
	b.visit(func(sess *sessions.Session, w http.ResponseWriter, r *http.Request) {
		if !sess.IsNew {
			t.Errorf("first visit: session not new")
		}
		sess.AddFlash("Your details were saved")
		save(t, map[any]any{"user_id": userID, "csrf": "abc", "two_factor_done": true, "count": 3})(sess, w, r)
	})
	got := b.load()
	want := map[any]any{"user_id": userID, "csrf": "abc", "two_factor_done": true, "count": int64(3),
		"_flash": []any{"Your details were saved"}}
	if got.IsNew || !reflect.DeepEqual(got.Values, want) {
		t.Errorf("loaded %v (new %v), want %v", got.Values, got.IsNew, want)
	}
	var column int64
	if err := pool.QueryRow(ctx, `SELECT user_id FROM sessions`).Scan(&column); err != nil || column != userID {
		t.Errorf("user_id column %d, %v; want %d", column, err, userID)
	}
}

func TestSave_RefusesValuesItCannotKeep(t *testing.T) {
	s, _, _ := newStore(t, false)
	for name, values := range map[string]map[any]any{
		"float":          {"ratio": 0.5},
		"non-string key": {42: "answer"},
		"struct":         {"when": time.Now()},
		"string user id": {"user_id": "7"},
	} {
		b := &browser{t: t, store: s}
		b.visit(func(sess *sessions.Session, w http.ResponseWriter, r *http.Request) {
			for k, v := range values {
				sess.Values[k] = v
			}
			if err := sess.Save(r, w); err == nil {
				t.Errorf("%s: saved", name)
			}
		})
	}
}

func TestSave_KeepsOnlyAHashOfTheCookie(t *testing.T) {
	s, _, pool := newStore(t, false)
	b := &browser{t: t, store: s}
	b.visit(save(t, map[any]any{"csrf": "abc"}))
	raw, err := base64.RawURLEncoding.DecodeString(b.cookie.Value)
	if err != nil || len(raw) != 32 {
		t.Fatalf("cookie %q is not 32 random bytes: %v", b.cookie.Value, err)
	}
	sum := sha256.Sum256(raw)
	var byHash, byValue int
	err = pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE id_hash = $1),
		count(*) FILTER (WHERE id_hash = $2 OR position($3 IN data::text || user_agent || ip) > 0) FROM sessions`,
		sum[:], raw, b.cookie.Value).Scan(&byHash, &byValue)
	if err != nil || byHash != 1 || byValue != 0 {
		t.Errorf("rows by hash %d, by cookie value %d (%v); want 1 and 0", byHash, byValue, err)
	}
}

func TestCookie_IsHttpOnlyLaxWholeSiteAndSecureWhenAsked(t *testing.T) {
	for _, secure := range []bool{false, true} {
		s, _, _ := newStore(t, secure)
		b := &browser{t: t, store: s}
		c := b.visit(save(t, map[any]any{"csrf": "abc"}))
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure ||
			c.MaxAge != 0 || !c.Expires.IsZero() {
			t.Errorf("secure=%v: cookie %+v", secure, c)
		}
	}
}

func TestNew_AnIdleSessionStartsAfresh(t *testing.T) {
	s, c, pool := newStore(t, false)
	b := &browser{t: t, store: s}
	b.visit(save(t, map[any]any{"csrf": "abc"}))
	c.Advance(29 * time.Minute)
	if got := b.load(); got.IsNew || got.Values["csrf"] != "abc" {
		t.Fatalf("within the idle timeout: new %v, values %v", got.IsNew, got.Values)
	}
	c.Advance(31 * time.Minute)
	if got := b.load(); !got.IsNew || len(got.Values) != 0 {
		t.Errorf("after the idle timeout: new %v, values %v", got.IsNew, got.Values)
	}
	if n := countRows(t, pool); n != 0 {
		t.Errorf("%d rows left after an idle session was found", n)
	}
}

func TestNew_ABusySessionStillEndsAtTheAbsoluteTimeout(t *testing.T) {
	s, c, _ := newStore(t, false)
	b := &browser{t: t, store: s}
	b.visit(save(t, map[any]any{"csrf": "abc"}))
	for range 16 { // 7h44m of a request every 29 minutes
		c.Advance(29 * time.Minute)
		if got := b.load(); got.IsNew {
			t.Fatalf("ended early at %v", c.Now())
		}
	}
	c.Advance(29 * time.Minute)
	if got := b.load(); !got.IsNew {
		t.Errorf("still alive after the absolute timeout")
	}
}

func TestGet_RecordsLastSeenAtMostOnceAMinute(t *testing.T) {
	s, c, pool := newStore(t, false)
	b := &browser{t: t, store: s}
	b.visit(save(t, map[any]any{"csrf": "abc"}))
	start := c.Now()
	lastSeen := func() time.Time {
		var at time.Time
		if err := pool.QueryRow(ctx, `SELECT last_seen_at FROM sessions`).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}
	c.Advance(30 * time.Second)
	b.load()
	if got := lastSeen(); !got.Equal(start) {
		t.Errorf("touched after 30s: %v", got)
	}
	c.Advance(40 * time.Second)
	b.load()
	if got := lastSeen(); !got.Equal(c.Now()) {
		t.Errorf("not touched after 70s: %v, want %v", got, c.Now())
	}
}

func TestSave_NegativeMaxAgeDeletesTheSessionAndCookie(t *testing.T) {
	s, _, pool := newStore(t, false)
	b := &browser{t: t, store: s}
	b.visit(save(t, map[any]any{"csrf": "abc"}))
	old := b.cookie
	c := b.visit(func(sess *sessions.Session, w http.ResponseWriter, r *http.Request) {
		sess.Options.MaxAge = -1
		if err := sess.Save(r, w); err != nil {
			t.Fatal(err)
		}
	})
	if c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("sign-out cookie %+v, want an expired one", c)
	}
	if n := countRows(t, pool); n != 0 {
		t.Errorf("%d rows after sign-out", n)
	}
	b.cookie = old
	if got := b.load(); !got.IsNew {
		t.Errorf("old cookie still works after sign-out")
	}
}

func TestRenew_GivesANewCookieAndTheOldOneStopsWorking(t *testing.T) {
	s, c, pool := newStore(t, false)
	userID := newUser(t, pool)
	attacker := &browser{t: t, store: s}
	attacker.visit(save(t, map[any]any{"csrf": "planted"}))
	victim := &browser{t: t, store: s, cookie: attacker.cookie} // the planted id
	c.Advance(20 * time.Minute)
	var renewedAt time.Time
	victim.visit(func(sess *sessions.Session, w http.ResponseWriter, r *http.Request) {
		sess.Values["user_id"] = userID
		if err := s.Renew(r, w, sess); err != nil {
			t.Fatal(err)
		}
		renewedAt = c.Now()
	})
	if victim.cookie.Value == attacker.cookie.Value {
		t.Fatalf("renew kept the id")
	}
	if got := attacker.load(); !got.IsNew {
		t.Errorf("the old id still works: %v", got.Values)
	}
	got := victim.load()
	if got.IsNew || got.Values["user_id"] != userID || got.Values["csrf"] != "planted" {
		t.Errorf("after renew: new %v, values %v", got.IsNew, got.Values)
	}
	var created, expires time.Time
	if err := pool.QueryRow(ctx, `SELECT created_at, expires_at FROM sessions`).Scan(&created, &expires); err != nil {
		t.Fatal(err)
	}
	if !created.Equal(renewedAt) || !expires.Equal(renewedAt.Add(8*time.Hour)) {
		t.Errorf("renewed session created %v expires %v; want a fresh lifetime from %v", created, expires, renewedAt)
	}
}

func TestRevokeUser_EndsTheOtherSessionsButNotTheCurrent(t *testing.T) {
	s, _, pool := newStore(t, false)
	userID, otherID := newUser(t, pool), newUser(t, pool)
	laptop := &browser{t: t, store: s, agent: "Laptop"}
	phone := &browser{t: t, store: s, agent: "Phone"}
	tablet := &browser{t: t, store: s, agent: "Tablet"}
	someoneElse := &browser{t: t, store: s}
	for _, b := range []*browser{laptop, phone, tablet} {
		b.visit(save(t, map[any]any{"user_id": userID}))
	}
	someoneElse.visit(save(t, map[any]any{"user_id": otherID}))

	current := laptop.load()
	devices, err := s.Devices(ctx, userID, current)
	if err != nil || len(devices) != 3 {
		t.Fatalf("devices %+v, %v", devices, err)
	}
	for _, d := range devices {
		if d.Current != (d.UserAgent == "Laptop") || d.IP != "203.0.113.9" || len(d.ID) != 16 {
			t.Errorf("device %+v", d)
		}
	}
	n, err := s.RevokeUser(ctx, userID, current)
	if err != nil || n != 2 {
		t.Errorf("revoked %d, %v; want 2", n, err)
	}
	if laptop.load().IsNew {
		t.Errorf("the current session was ended")
	}
	if !phone.load().IsNew || !tablet.load().IsNew {
		t.Errorf("another session survived")
	}
	if someoneElse.load().IsNew {
		t.Errorf("another user's session was ended")
	}
	if n, _ := s.RevokeUser(ctx, userID, nil); n != 1 {
		t.Errorf("revoking all ended %d, want 1", n)
	}
}

func TestSave_DoesNotBringBackARevokedSession(t *testing.T) {
	s, _, pool := newStore(t, false)
	userID := newUser(t, pool)
	b := &browser{t: t, store: s}
	b.visit(save(t, map[any]any{"user_id": userID}))
	b.visit(func(sess *sessions.Session, w http.ResponseWriter, r *http.Request) {
		if _, err := s.RevokeUser(ctx, userID, nil); err != nil { // from another device, mid-request
			t.Fatal(err)
		}
		save(t, map[any]any{"csrf": "x"})(sess, w, r)
	})
	if n := countRows(t, pool); n != 0 {
		t.Errorf("revoked session saved again: %d rows", n)
	}
	if b.cookie != nil {
		t.Errorf("cookie kept: %+v", b.cookie)
	}
}

func TestRevokeDevice_EndsOneSessionOfTheUser(t *testing.T) {
	s, _, pool := newStore(t, false)
	userID := newUser(t, pool)
	phone := &browser{t: t, store: s, agent: "Phone"}
	phone.visit(save(t, map[any]any{"user_id": userID}))
	devices, _ := s.Devices(ctx, userID, nil)
	if found, err := s.RevokeDevice(ctx, userID+1, devices[0].ID); found || err != nil {
		t.Errorf("another user revoked the device: %v, %v", found, err)
	}
	if found, err := s.RevokeDevice(ctx, userID, devices[0].ID); !found || err != nil {
		t.Errorf("revoke: %v, %v", found, err)
	}
	if !phone.load().IsNew {
		t.Errorf("revoked device still signed in")
	}
}

func TestDeleteExpired_RemovesIdleAndExpiredRowsOnly(t *testing.T) {
	s, c, pool := newStore(t, false)
	idle := &browser{t: t, store: s}
	idle.visit(save(t, map[any]any{"csrf": "a"}))
	c.Advance(20 * time.Minute)
	busy := &browser{t: t, store: s}
	busy.visit(save(t, map[any]any{"csrf": "b"}))
	c.Advance(15 * time.Minute)
	n, err := s.DeleteExpired(ctx)
	if err != nil || n != 1 || countRows(t, pool) != 1 {
		t.Errorf("deleted %d (%v), %d left; want 1 and 1", n, err, countRows(t, pool))
	}
	if busy.load().IsNew {
		t.Errorf("the live session was deleted")
	}
}
