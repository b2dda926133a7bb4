// Package audit owns the audit log (table audit_log): who did what to
// which record, when, from where, with the record before and after. Writers
// record an entry in the same transaction as the change, so the log never
// claims a change that was rolled back nor misses one that was made. It
// must not decide what deserves recording or who may read the log: callers
// do.
package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Entry is one recorded action.
type Entry struct {
	ID         int64
	At         time.Time // when zero, Record uses the database's now()
	ActorID    int64     // 0 when not a person (the command line, a job)
	ActorEmail string    // kept when the user is deleted; "cli" or "system" for non-people
	Action     string    // "noun.verb" in lower case, like "partner.update"
	TargetType string    // "partner", "user", "vacancy"...
	TargetID   string
	PartnerID  int64 // 0 when the action concerns no partner
	Before     any   // marshalled to JSON; nil for none (a creation)
	After      any   // marshalled to JSON; nil for none (a deletion)
	IP         string
}

// DB runs a statement: *pgxpool.Pool and pgx.Tx both do.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Record writes e. Call it with the transaction that makes the change.
func Record(ctx context.Context, db DB, e Entry) error {
	before, err := jsonOrNull(e.Before)
	if err != nil {
		return fmt.Errorf("record %s: before: %w", e.Action, err)
	}
	after, err := jsonOrNull(e.After)
	if err != nil {
		return fmt.Errorf("record %s: after: %w", e.Action, err)
	}
	var at *time.Time
	if !e.At.IsZero() {
		at = &e.At
	}
	_, err = db.Exec(ctx, `
		INSERT INTO audit_log (at, actor_id, actor_email, action, target_type, target_id, partner_id, before, after, ip)
		VALUES (coalesce($1, now()), $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10)`,
		at, nullID(e.ActorID), e.ActorEmail, e.Action, e.TargetType, e.TargetID, nullID(e.PartnerID), before, after, e.IP)
	if err != nil {
		return fmt.Errorf("record %s: %w", e.Action, err)
	}
	return nil
}

func jsonOrNull(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" { // a nil pointer or map means none too
		return nil, err
	}
	s := string(b)
	return &s, nil
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Filter narrows List. Zero fields do not filter.
type Filter struct {
	Actor      string // part of the actor's e-mail address, any case
	Action     string // an action ("partner.update"), or a prefix ending in "." ("partner.")
	TargetType string
	TargetID   string
	PartnerID  int64
	From, To   time.Time // entries at or after From, and before To
	Page       int       // 1-based
	PerPage    int       // 50 when zero, at most 200
}

// Row is an entry ready to show.
type Row struct {
	Entry
	BeforeJSON, AfterJSON string   // indented; "" for none
	Changes               []Change // top-level fields that differ, by name
}

// Change is one top-level field whose value differs between before and
// after, each shown as JSON ("" when absent; strings without quotes).
type Change struct{ Field, Before, After string }

// Store reads the audit log.
type Store struct{ pool *pgxpool.Pool }

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// List returns a page of entries, newest first, and how many match in all.
func (s *Store) List(ctx context.Context, f Filter) (rows []Row, total int, err error) {
	defer wrap(&err, "list audit log")
	where, args := f.where()
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	perPage := min(f.PerPage, 200)
	if perPage <= 0 {
		perPage = 50
	}
	offset := (max(f.Page, 1) - 1) * perPage
	args = append(args, perPage, offset)
	pgRows, err := s.pool.Query(ctx, `
		SELECT id, at, coalesce(actor_id, 0), actor_email, action, target_type, target_id, coalesce(partner_id, 0),
		       before::text, after::text, ip
		FROM audit_log`+where+fmt.Sprintf(` ORDER BY at DESC, id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err = pgx.CollectRows(pgRows, scanRow)
	return rows, total, err
}

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Actor != "" {
		add(`actor_email ILIKE '%' || ? || '%'`, escapeLike(f.Actor))
	}
	if strings.HasSuffix(f.Action, ".") {
		add(`action LIKE ? || '%'`, escapeLike(f.Action))
	} else if f.Action != "" {
		add(`action = ?`, f.Action)
	}
	if f.TargetType != "" {
		add(`target_type = ?`, f.TargetType)
	}
	if f.TargetID != "" {
		add(`target_id = ?`, f.TargetID)
	}
	if f.PartnerID != 0 {
		add(`partner_id = ?`, f.PartnerID)
	}
	if !f.From.IsZero() {
		add(`at >= ?`, f.From)
	}
	if !f.To.IsZero() {
		add(`at < ?`, f.To)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func scanRow(row pgx.CollectableRow) (Row, error) {
	var r Row
	var before, after *string
	err := row.Scan(&r.ID, &r.At, &r.ActorID, &r.ActorEmail, &r.Action, &r.TargetType, &r.TargetID, &r.PartnerID,
		&before, &after, &r.IP)
	if err != nil {
		return r, err
	}
	var beforeFields, afterFields map[string]json.RawMessage
	if r.Before, r.BeforeJSON, beforeFields, err = decode(before); err != nil {
		return r, fmt.Errorf("entry %d before: %w", r.ID, err)
	}
	if r.After, r.AfterJSON, afterFields, err = decode(after); err != nil {
		return r, fmt.Errorf("entry %d after: %w", r.ID, err)
	}
	r.Changes = diff(beforeFields, afterFields)
	return r, nil
}

// decode returns a stored JSON value as Go values, indented for reading,
// and, when it is an object, its fields.
func decode(stored *string) (value any, pretty string, fields map[string]json.RawMessage, err error) {
	if stored == nil {
		return nil, "", nil, nil
	}
	raw := []byte(*stored)
	if err := json.Unmarshal(raw, &value); err != nil {
		return nil, "", nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return nil, "", nil, err
	}
	if json.Unmarshal(raw, &fields) != nil {
		fields = nil // not an object: no fields to compare
	}
	return value, buf.String(), fields, nil
}

// diff lists the top-level fields whose values differ. jsonb stores
// objects in a canonical form, so equal values have equal text.
func diff(before, after map[string]json.RawMessage) []Change {
	if before == nil && after == nil {
		return nil
	}
	keys := slices.Sorted(maps.Keys(before))
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var changes []Change
	for _, k := range keys {
		b, inBefore := before[k]
		a, inAfter := after[k]
		if inBefore && inAfter && bytes.Equal(b, a) {
			continue
		}
		changes = append(changes, Change{Field: k, Before: show(b), After: show(a)})
	}
	return changes
}

// show renders a field's value for people: strings as they are, anything
// else as compact JSON, nothing as "".
func show(raw json.RawMessage) string {
	if raw == nil {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

// Actions returns every action in the log, sorted, for a filter list.
func (s *Store) Actions(ctx context.Context) (actions []string, err error) {
	defer wrap(&err, "audit actions")
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT action FROM audit_log ORDER BY action`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf(format+": %w", append(args, *err)...)
	}
}
