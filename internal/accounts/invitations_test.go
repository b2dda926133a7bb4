package accounts_test

import (
	"errors"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/accounts"
)

func TestAcceptInvitation_OnlyByTheInvitedAddressAndOnce(t *testing.T) {
	s, _ := newStore(t)
	trust := partner(t, "fen-trust", "Fen Trust")
	invited := signUp(t, s, "Nurse.Lead@example.org")
	stranger := signUp(t, s, "someone.else@example.org")
	raw, err := s.Invite(ctx, trust.ID, "nurse.lead@EXAMPLE.org", accounts.PartnerAdmin, 0, 72*time.Hour)
	must(t, err)

	inv, err := s.LookupInvitation(ctx, raw)
	if err != nil || inv.PartnerName != "Fen Trust" || inv.Role != accounts.PartnerAdmin {
		t.Fatalf("lookup: %+v, %v", inv, err)
	}
	if _, err := s.AcceptInvitation(ctx, raw, stranger.ID); !errors.Is(err, accounts.ErrInvitationInvalid) {
		t.Errorf("accepted by another address: %v, want ErrInvitationInvalid", err)
	}
	m, err := s.AcceptInvitation(ctx, raw, invited.ID)
	want := accounts.Membership{PartnerID: trust.ID, PartnerSlug: "fen-trust", PartnerName: "Fen Trust", Role: accounts.PartnerAdmin}
	if err != nil || m != want {
		t.Fatalf("accept: %+v, %v; want %+v", m, err, want)
	}
	got, _ := s.Get(ctx, invited.ID)
	if !got.CanManagePartner(trust.ID) || !got.EmailVerified || !got.NeedsTwoFactor() {
		t.Errorf("after accepting: %+v", got)
	}
	if _, err := s.AcceptInvitation(ctx, raw, invited.ID); !errors.Is(err, accounts.ErrInvitationInvalid) {
		t.Errorf("accepted twice: %v, want ErrInvitationInvalid", err)
	}
	if _, err := s.LookupInvitation(ctx, raw); !errors.Is(err, accounts.ErrInvitationInvalid) {
		t.Errorf("lookup after accepting: %v, want ErrInvitationInvalid", err)
	}
}

func TestAcceptInvitation_RefusesAnExpiredInvitation(t *testing.T) {
	s, c := newStore(t)
	trust := partner(t, "fen-trust", "Fen Trust")
	u := signUp(t, s, "late@example.org")
	raw, err := s.Invite(ctx, trust.ID, "late@example.org", accounts.Recruiter, 0, time.Hour)
	must(t, err)
	c.Advance(2 * time.Hour)
	if _, err := s.AcceptInvitation(ctx, raw, u.ID); !errors.Is(err, accounts.ErrInvitationInvalid) {
		t.Errorf("expired: %v, want ErrInvitationInvalid", err)
	}
}

func TestInvite_AgainReplacesThePendingInvitation(t *testing.T) {
	s, _ := newStore(t)
	trust := partner(t, "fen-trust", "Fen Trust")
	first, err := s.Invite(ctx, trust.ID, "new@example.org", accounts.Recruiter, 0, time.Hour)
	must(t, err)
	second, err := s.Invite(ctx, trust.ID, "NEW@example.org", accounts.PartnerAdmin, 0, time.Hour)
	must(t, err)
	if _, err := s.LookupInvitation(ctx, first); !errors.Is(err, accounts.ErrInvitationInvalid) {
		t.Errorf("replaced invitation still works: %v", err)
	}
	if inv, err := s.LookupInvitation(ctx, second); err != nil || inv.Role != accounts.PartnerAdmin {
		t.Errorf("new invitation: %+v, %v", inv, err)
	}
	if _, pending, _ := s.Members(ctx, trust.ID); len(pending) != 1 {
		t.Errorf("%d pending invitations, want 1", len(pending))
	}
}

func TestInvite_ExplainsABadAddressOrAnExistingMember(t *testing.T) {
	s, _ := newStore(t)
	trust := partner(t, "fen-trust", "Fen Trust")
	member := signUp(t, s, "member@example.org")
	must(t, s.AddMember(ctx, member.ID, trust.ID, accounts.Recruiter))
	var verr accounts.ValidationError
	if _, err := s.Invite(ctx, trust.ID, "not an address", accounts.Recruiter, 0, time.Hour); !errors.As(err, &verr) || verr["email"] == "" {
		t.Errorf("bad address: %v", err)
	}
	if _, err := s.Invite(ctx, trust.ID, "Member@example.org", accounts.Recruiter, 0, time.Hour); !errors.As(err, &verr) || verr["email"] != "Member@example.org is already a member" {
		t.Errorf("existing member: %v", err)
	}
}
