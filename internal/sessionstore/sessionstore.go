// Package sessionstore keeps web sessions in PostgreSQL (table sessions)
// behind the github.com/gorilla/sessions Store interface. The cookie holds
// only a random id; the row is keyed by its SHA-256, so the table cannot be
// turned into working cookies. It owns expiry, renewal at sign-in, listing
// a user's devices and signing them out. It must not decide who is signed
// in or what they may do: that is the caller's, through the values it
// stores (by convention "user_id").
//
// Values must have string keys and hold strings, bools, integers (int and
// int64; they come back as int64) or []any of those, which covers
// gorilla's flashes. Anything else makes Save fail rather than lose data
// quietly.
package sessionstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gorilla/sessions"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// UserIDKey is the value that is also kept in the user_id column, so a
// user's sessions can be listed and ended. It must be an int64.
const UserIDKey = "user_id"

// Options configure a Store. Zero fields take the defaults shown.
type Options struct {
	CookieName      string        // "session"; "__Host-session" is a good choice when Secure
	Secure          bool          // send the cookie over HTTPS only
	IdleTimeout     time.Duration // 2 hours: a session unused this long ends
	AbsoluteTimeout time.Duration // 24 hours: no session lives longer, however busy
	Now             func() time.Time
}

// touchEvery limits how often reading a session writes last_seen_at.
const touchEvery = time.Minute

// Store keeps sessions in PostgreSQL. Its cookies have no Max-Age, so the
// browser drops them when it closes; the server's idle and absolute
// timeouts end them otherwise.
type Store struct {
	pool *pgxpool.Pool
	o    Options
}

var _ sessions.Store = (*Store)(nil)

// New returns a Store on pool.
func New(pool *pgxpool.Pool, o Options) *Store {
	if o.CookieName == "" {
		o.CookieName = "session"
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 2 * time.Hour
	}
	if o.AbsoluteTimeout <= 0 {
		o.AbsoluteTimeout = 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Store{pool: pool, o: o}
}

// Session returns the request's session under the configured cookie name.
func (s *Store) Session(r *http.Request) (*sessions.Session, error) {
	return s.Get(r, s.o.CookieName)
}

// Get returns the request's session called name, loading it once per
// request through gorilla's registry.
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or returns a new
// empty one (IsNew) when there is no cookie or its session has ended; an
// ended session's row is deleted. It never returns a nil session.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := s.newSession(name)
	c, err := r.Cookie(name)
	if err != nil {
		return sess, nil
	}
	hash, ok := idHash(c.Value)
	if !ok {
		return sess, nil
	}
	ctx, now := r.Context(), s.o.Now()
	var data []byte
	var lastSeen, expires time.Time
	err = s.pool.QueryRow(ctx, `SELECT data, last_seen_at, expires_at FROM sessions WHERE id_hash = $1`, hash).
		Scan(&data, &lastSeen, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return sess, nil
	} else if err != nil {
		return sess, fmt.Errorf("load session: %w", err)
	}
	if !now.Before(expires) || !now.Before(lastSeen.Add(s.o.IdleTimeout)) {
		if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hash); err != nil {
			return sess, fmt.Errorf("delete ended session: %w", err)
		}
		return sess, nil
	}
	values, err := decodeValues(data)
	if err != nil {
		return sess, fmt.Errorf("load session: %w", err)
	}
	if now.Sub(lastSeen) >= touchEvery {
		if _, err := s.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1`, hash, now); err != nil {
			return sess, fmt.Errorf("touch session: %w", err)
		}
	}
	sess.ID, sess.Values, sess.IsNew = c.Value, values, false
	return sess, nil
}

func (s *Store) newSession(name string) *sessions.Session {
	sess := sessions.NewSession(s, name)
	sess.Options = &sessions.Options{Path: "/", HttpOnly: true, Secure: s.o.Secure, SameSite: http.SameSiteLaxMode}
	sess.IsNew = true
	return sess
}

// Save writes the session and sets its cookie. A new session gets an id
// and a row; Options.MaxAge < 0 deletes the row and the cookie (sign-out).
// Saving a session that ended meanwhile, for instance because it was
// revoked, writes nothing and clears the cookie: it is not brought back.
func (s *Store) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) (err error) {
	defer wrap(&err, "save session")
	ctx, now := r.Context(), s.o.Now()
	if sess.Options.MaxAge < 0 {
		if hash, ok := idHash(sess.ID); ok {
			if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hash); err != nil {
				return err
			}
		}
		sess.ID = ""
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	data, userID, err := encodeValues(sess.Values)
	if err != nil {
		return err
	}
	hash, ok := idHash(sess.ID)
	if !ok {
		return s.insert(ctx, r, w, sess, data, userID)
	}
	tag, err := s.pool.Exec(ctx, `
		UPDATE sessions SET data = $2, user_id = $3, last_seen_at = $4
		WHERE id_hash = $1 AND expires_at > $4`, hash, data, userID, now)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		sess.ID, sess.IsNew = "", true
		expired := *sess.Options
		expired.MaxAge = -1
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", &expired))
		return nil
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	return nil
}

// Renew moves the session to a new id, keeping its values, and sets the
// new cookie; the old id stops working and the session's lifetime starts
// again. Call it at sign-in (and at any change of privilege) so an id
// planted or seen before then is useless.
func (s *Store) Renew(r *http.Request, w http.ResponseWriter, sess *sessions.Session) (err error) {
	defer wrap(&err, "renew session")
	data, userID, err := encodeValues(sess.Values)
	if err != nil {
		return err
	}
	if hash, ok := idHash(sess.ID); ok {
		if _, err := s.pool.Exec(r.Context(), `DELETE FROM sessions WHERE id_hash = $1`, hash); err != nil {
			return err
		}
	}
	if sess.Options.MaxAge < 0 {
		sess.Options.MaxAge = 0
	}
	return s.insert(r.Context(), r, w, sess, data, userID)
}

// insert stores the session under a fresh id and sets its cookie.
func (s *Store) insert(ctx context.Context, r *http.Request, w http.ResponseWriter, sess *sessions.Session, data []byte, userID *int64) error {
	id := make([]byte, 32)
	rand.Read(id) // never fails, per crypto/rand
	raw := base64.RawURLEncoding.EncodeToString(id)
	hash := sha256.Sum256(id)
	now := s.o.Now()
	_, err := s.pool.Exec(ctx, `
		INSERT INTO sessions (id_hash, user_id, data, user_agent, ip, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6, $7)`,
		hash[:], userID, data, truncate(r.UserAgent(), 500), clientIP(r), now, now.Add(s.o.AbsoluteTimeout))
	if err != nil {
		return err
	}
	sess.ID, sess.IsNew = raw, false
	http.SetCookie(w, sessions.NewCookie(sess.Name(), raw, sess.Options))
	return nil
}

// RevokeUser ends every session of the user except the given one (nil:
// all of them), and says how many it ended.
func (s *Store) RevokeUser(ctx context.Context, userID int64, except *sessions.Session) (n int, err error) {
	defer wrap(&err, "revoke sessions of user %d", userID)
	var keep []byte
	if except != nil {
		keep, _ = idHash(except.ID)
	}
	tag, err := s.pool.Exec(ctx, `
		DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR id_hash <> $2)`, userID, keep)
	return int(tag.RowsAffected()), err
}

// Device is one live session of a user, for a "where you're signed in" page.
type Device struct {
	ID         string // short id, safe to show: part of the row key, not of the cookie
	Current    bool   // the session of the request that asked
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Devices lists the user's live sessions, most recently used first.
func (s *Store) Devices(ctx context.Context, userID int64, current *sessions.Session) (devices []Device, err error) {
	defer wrap(&err, "devices of user %d", userID)
	var currentHash []byte
	if current != nil {
		currentHash, _ = idHash(current.ID)
	}
	now := s.o.Now()
	rows, err := s.pool.Query(ctx, `
		SELECT id_hash, user_agent, ip, created_at, last_seen_at FROM sessions
		WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3
		ORDER BY last_seen_at DESC, created_at DESC`, userID, now, now.Add(-s.o.IdleTimeout))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d Device
		var hash []byte
		if err := rows.Scan(&hash, &d.UserAgent, &d.IP, &d.CreatedAt, &d.LastSeenAt); err != nil {
			return nil, err
		}
		d.ID = hex.EncodeToString(hash[:deviceIDBytes])
		d.Current = currentHash != nil && bytes.Equal(hash, currentHash)
		devices = append(devices, d)
	}
	return devices, rows.Err()
}

const deviceIDBytes = 8

// RevokeDevice ends the user's session with that Device.ID, reporting
// whether there was one.
func (s *Store) RevokeDevice(ctx context.Context, userID int64, deviceID string) (found bool, err error) {
	defer wrap(&err, "revoke device %s of user %d", deviceID, userID)
	prefix, err := hex.DecodeString(deviceID)
	if err != nil || len(prefix) != deviceIDBytes {
		return false, nil
	}
	tag, err := s.pool.Exec(ctx, `
		DELETE FROM sessions WHERE user_id = $1 AND substring(id_hash FROM 1 FOR $3) = $2`, userID, prefix, deviceIDBytes)
	return tag.RowsAffected() > 0, err
}

// DeleteExpired deletes sessions past their absolute or idle timeout, for
// a periodic job, and says how many.
func (s *Store) DeleteExpired(ctx context.Context) (n int64, err error) {
	defer wrap(&err, "delete expired sessions")
	now := s.o.Now()
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`,
		now, now.Add(-s.o.IdleTimeout))
	return tag.RowsAffected(), err
}

// idHash returns the row key for a cookie's id, or false when the value
// cannot be an id of ours.
func idHash(raw string) ([]byte, bool) {
	id, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(id) != 32 {
		return nil, false
	}
	sum := sha256.Sum256(id)
	return sum[:], true
}

// clientIP is the address the request came from. Behind a proxy, a
// middleware should first put the client's address in RemoteAddr.
func clientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf(format+": %w", append(args, *err)...)
	}
}
