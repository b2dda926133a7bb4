package accounts

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// AddMember makes the user a member of the partner with role, or changes
// the role of an existing member.
func (s *Store) AddMember(ctx context.Context, userID, partnerID int64, role PartnerRole) (err error) {
	defer wrap(&err, "add user %d to partner %d", userID, partnerID)
	if !role.Valid() {
		return ValidationError{"role": "Choose a role"}
	}
	_, err = s.pool.Exec(ctx, `
		INSERT INTO memberships (user_id, partner_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, partner_id) DO UPDATE SET role = excluded.role`, userID, partnerID, role, s.now())
	if isForeignKeyViolation(err) {
		return ErrNotFound
	}
	return err
}

// RemoveMember ends the user's membership of the partner.
func (s *Store) RemoveMember(ctx context.Context, userID, partnerID int64) (err error) {
	defer wrap(&err, "remove user %d from partner %d", userID, partnerID)
	return s.updateOne(ctx, `DELETE FROM memberships WHERE user_id = $1 AND partner_id = $2`, userID, partnerID)
}

// Member is a user who belongs to a partner. Member.User carries no
// Memberships.
type Member struct {
	User  User
	Role  PartnerRole
	Since time.Time
}

// Invitation asks someone to join a partner.
type Invitation struct {
	ID          string // hex of the first 8 bytes of the token's hash: safe to show and to cancel by
	PartnerID   int64
	PartnerName string
	Email       string
	Role        PartnerRole
	InvitedBy   string // the inviter's name; "" when sent from the command line or the inviter is gone
	ExpiresAt   time.Time
}

const selectInvitation = `
	SELECT encode(substring(i.token_hash FROM 1 FOR 8), 'hex'), i.partner_id, p.name, i.email, i.role,
	       coalesce(inviter.name, ''), i.expires_at
	FROM invitations i
	JOIN partners p ON p.id = i.partner_id
	LEFT JOIN users inviter ON inviter.id = i.invited_by`

func scanInvitation(row pgx.Row) (inv Invitation, err error) {
	err = row.Scan(&inv.ID, &inv.PartnerID, &inv.PartnerName, &inv.Email, &inv.Role, &inv.InvitedBy, &inv.ExpiresAt)
	return inv, err
}

// Members returns the partner's members by name and its pending, unexpired
// invitations, oldest first.
func (s *Store) Members(ctx context.Context, partnerID int64) (members []Member, invitations []Invitation, err error) {
	defer wrap(&err, "members of partner %d", partnerID)
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+`, m.role, m.created_at
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.partner_id = $1
		ORDER BY lower(u.name), u.email`, partnerID)
	if err != nil {
		return nil, nil, err
	}
	members, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (m Member, err error) {
		return m, scanUser(row, &m.User, &m.Role, &m.Since)
	})
	if err != nil {
		return nil, nil, err
	}
	rows, err = s.pool.Query(ctx, selectInvitation+`
		WHERE i.partner_id = $1 AND i.accepted_at IS NULL AND i.expires_at > $2
		ORDER BY i.created_at, i.email`, partnerID, s.now())
	if err != nil {
		return nil, nil, err
	}
	invitations, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Invitation, error) { return scanInvitation(row) })
	return members, invitations, err
}

// Invite makes an invitation to join the partner with role, valid for ttl,
// and returns the raw token for the link. Inviting an address again
// replaces its pending invitation to the same partner. invitedBy is 0 when
// no person sends it.
func (s *Store) Invite(ctx context.Context, partnerID int64, email string, role PartnerRole, invitedBy int64, ttl time.Duration) (raw string, err error) {
	defer wrap(&err, "invite to partner %d", partnerID)
	email = strings.TrimSpace(email)
	errs := ValidationError{}
	if msg := validateEmail(email); msg != "" {
		errs["email"] = msg
	}
	if !role.Valid() {
		errs["role"] = "Choose a role"
	}
	if len(errs) > 0 {
		return "", errs
	}
	var inviter *int64
	if invitedBy != 0 {
		inviter = &invitedBy
	}
	raw, hash := newSecret()
	now := s.now()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var member bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.partner_id = $1 AND u.email = $2)`, partnerID, email).Scan(&member)
		if err != nil {
			return err
		}
		if member {
			return ValidationError{"email": email + " is already a member"}
		}
		if _, err := tx.Exec(ctx, `
			DELETE FROM invitations WHERE partner_id = $1 AND email = $2 AND accepted_at IS NULL`, partnerID, email); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO invitations (token_hash, partner_id, email, role, invited_by, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, hash, partnerID, email, role, inviter, now.Add(ttl), now)
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

// LookupInvitation returns the pending invitation for a raw token, or
// ErrInvitationInvalid when it is unknown, expired or accepted.
func (s *Store) LookupInvitation(ctx context.Context, raw string) (inv Invitation, err error) {
	defer wrap(&err, "look up invitation")
	hash, ok := secretHash(raw)
	if !ok {
		return inv, ErrInvitationInvalid
	}
	inv, err = scanInvitation(s.pool.QueryRow(ctx, selectInvitation+`
		WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2`, hash, s.now()))
	if errors.Is(err, pgx.ErrNoRows) {
		return inv, ErrInvitationInvalid
	}
	return inv, err
}

// AcceptInvitation makes the user a member as invited. Only the invited
// address may accept, once; since the link reached that address, it also
// counts as verifying it.
func (s *Store) AcceptInvitation(ctx context.Context, raw string, userID int64) (m Membership, err error) {
	defer wrap(&err, "accept invitation")
	hash, ok := secretHash(raw)
	if !ok {
		return m, ErrInvitationInvalid
	}
	now := s.now()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			UPDATE invitations i SET accepted_at = $3, accepted_by = u.id
			FROM users u
			WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $3
			  AND u.id = $2 AND u.email = i.email
			RETURNING i.partner_id, i.role`, hash, userID, now).Scan(&m.PartnerID, &m.Role)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrInvitationInvalid
		} else if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO memberships (user_id, partner_id, role, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, partner_id) DO UPDATE SET role = excluded.role`, userID, m.PartnerID, m.Role, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE users SET email_verified_at = coalesce(email_verified_at, $2), updated_at = $2 WHERE id = $1`,
			userID, now); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT slug, name FROM partners WHERE id = $1`, m.PartnerID).Scan(&m.PartnerSlug, &m.PartnerName)
	})
	return m, err
}

// CancelInvitation withdraws a pending invitation of the partner by its
// display id.
func (s *Store) CancelInvitation(ctx context.Context, partnerID int64, id string) (err error) {
	defer wrap(&err, "cancel invitation %s of partner %d", id, partnerID)
	prefix, err := hex.DecodeString(id)
	if err != nil || len(prefix) != 8 {
		return ErrNotFound
	}
	return s.updateOne(ctx, `
		DELETE FROM invitations
		WHERE partner_id = $1 AND accepted_at IS NULL AND substring(token_hash FROM 1 FOR 8) = $2`, partnerID, prefix)
}
