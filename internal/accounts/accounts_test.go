package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/testenv"
)

var ctx = context.Background()

// newStore empties the account and partner tables and returns a store
// whose clock the test controls.
func newStore(t *testing.T) (*accounts.Store, *clock) {
	t.Helper()
	pool := testenv.Pool(t)
	if _, err := pool.Exec(ctx, `TRUNCATE users, partners RESTART IDENTITY CASCADE`); err != nil {
		t.Fatalf("truncate: %v", err)
	}
	c := &clock{now: time.Now()}
	s := accounts.NewStore(pool)
	s.SetClock(c.Now)
	s.SetSecretKey([]byte(testKey))
	return s, c
}

const testKey = "a test key for two-factor secrets, 32+ bytes"

type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) Advance(d time.Duration) { c.now = c.now.Add(d) }

const goodPassword = "correct horse battery staple"

var userSeq atomic.Int64

// signUp creates a job seeker; email "" makes a fresh address.
func signUp(t *testing.T, s *accounts.Store, email string) accounts.User {
	t.Helper()
	if email == "" {
		email = fmt.Sprintf("person%d@example.org", userSeq.Add(1))
	}
	u, err := s.SignUp(ctx, email, "Test Person", goodPassword)
	if err != nil {
		t.Fatalf("sign up %s: %v", email, err)
	}
	return u
}

type testPartner struct{ ID int64 }

// partner inserts a partner row directly: accounts only needs its id, slug
// and name.
func partner(t *testing.T, slug, name string) testPartner {
	t.Helper()
	var p testPartner
	err := testenv.Pool(t).QueryRow(ctx, `INSERT INTO partners (slug, name, type) VALUES ($1, $2, 'nhs-trust') RETURNING id`,
		slug, name).Scan(&p.ID)
	if err != nil {
		t.Fatalf("create partner %s: %v", slug, err)
	}
	return p
}

func TestGet_ReturnsMembershipsOrderedByPartnerName(t *testing.T) {
	s, _ := newStore(t)
	u := signUp(t, s, "")
	zeal, acme := partner(t, "zeal-care", "Zeal Care"), partner(t, "acme-hospice", "Acme Hospice")
	for _, m := range []struct {
		id   int64
		role accounts.PartnerRole
	}{{zeal.ID, accounts.PartnerAdmin}, {acme.ID, accounts.Recruiter}} {
		if err := s.AddMember(ctx, u.ID, m.id, m.role); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Get(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []accounts.Membership{
		{PartnerID: acme.ID, PartnerSlug: "acme-hospice", PartnerName: "Acme Hospice", Role: accounts.Recruiter},
		{PartnerID: zeal.ID, PartnerSlug: "zeal-care", PartnerName: "Zeal Care", Role: accounts.PartnerAdmin},
	}
	if fmt.Sprint(got.Memberships) != fmt.Sprint(want) {
		t.Errorf("memberships %v, want %v", got.Memberships, want)
	}
	if !got.CanRecruitFor(acme.ID) || got.CanManagePartner(acme.ID) || !got.CanManagePartner(zeal.ID) {
		t.Errorf("permissions wrong for %+v", got.Memberships)
	}
	if _, err := s.Get(ctx, 9999); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("missing user: %v, want ErrNotFound", err)
	}
}

func TestByEmail_IgnoresCaseAndSpaces(t *testing.T) {
	s, _ := newStore(t)
	u := signUp(t, s, "Sam.Jones@Example.org")
	got, err := s.ByEmail(ctx, "  sam.jones@EXAMPLE.org ")
	if err != nil || got.ID != u.ID {
		t.Fatalf("got %+v, %v; want user %d", got, err, u.ID)
	}
	if _, err := s.ByEmail(ctx, "nobody@example.org"); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("unknown address: %v, want ErrNotFound", err)
	}
}

func TestNeedsTwoFactor_OnlyForAdminsAndPartnerAdmins(t *testing.T) {
	cases := map[string]struct {
		user accounts.User
		want bool
	}{
		"job seeker":    {accounts.User{Role: accounts.Jobseeker}, false},
		"editor":        {accounts.User{Role: accounts.Editor}, false},
		"admin":         {accounts.User{Role: accounts.Admin}, true},
		"recruiter":     {accounts.User{Role: accounts.Jobseeker, Memberships: []accounts.Membership{{PartnerID: 1, Role: accounts.Recruiter}}}, false},
		"partner admin": {accounts.User{Role: accounts.Jobseeker, Memberships: []accounts.Membership{{PartnerID: 1, Role: accounts.Recruiter}, {PartnerID: 2, Role: accounts.PartnerAdmin}}}, true},
	}
	for name, c := range cases {
		if got := c.user.NeedsTwoFactor(); got != c.want {
			t.Errorf("%s: NeedsTwoFactor %v, want %v", name, got, c.want)
		}
	}
}

func TestUserPermissions_AdminsMayDoEverythingEditorsOnlyEdit(t *testing.T) {
	admin := accounts.User{Role: accounts.Admin}
	editor := accounts.User{Role: accounts.Editor}
	if !admin.CanEdit() || !admin.CanRecruitFor(7) || !admin.CanManagePartner(7) || admin.IsRecruiter() {
		t.Errorf("admin permissions wrong")
	}
	if !editor.CanEdit() || editor.CanRecruitFor(7) || editor.CanManagePartner(7) || editor.IsAdmin() {
		t.Errorf("editor permissions wrong")
	}
	recruiter := accounts.User{Role: accounts.Jobseeker, Memberships: []accounts.Membership{{PartnerID: 7, Role: accounts.Recruiter}}}
	if !recruiter.IsRecruiter() || !recruiter.CanRecruitFor(7) || recruiter.CanRecruitFor(8) || recruiter.CanManagePartner(7) || recruiter.CanEdit() {
		t.Errorf("recruiter permissions wrong")
	}
}

func TestList_FiltersByQueryRoleAndPartnerAndPages(t *testing.T) {
	s, _ := newStore(t)
	trust := partner(t, "fen-trust", "Fen Trust")
	var ids []int64
	for i, name := range []string{"Ada Nurse", "Ben Porter", "Cy Nurse", "Di Clerk", "Ed Nurse"} {
		u, err := s.SignUp(ctx, fmt.Sprintf("user%d@example.org", i), name, goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	must(t, s.SetRole(ctx, ids[1], accounts.Editor))
	must(t, s.AddMember(ctx, ids[2], trust.ID, accounts.Recruiter))
	must(t, s.AddMember(ctx, ids[3], trust.ID, accounts.PartnerAdmin))

	cases := []struct {
		name      string
		filter    accounts.ListFilter
		wantNames []string
		wantTotal int
	}{
		{"everyone by name", accounts.ListFilter{}, []string{"Ada Nurse", "Ben Porter", "Cy Nurse", "Di Clerk", "Ed Nurse"}, 5},
		{"name, any case", accounts.ListFilter{Query: "NURSE"}, []string{"Ada Nurse", "Cy Nurse", "Ed Nurse"}, 3},
		{"email part", accounts.ListFilter{Query: "user3@"}, []string{"Di Clerk"}, 1},
		{"like wildcards are literal", accounts.ListFilter{Query: "%"}, nil, 0},
		{"role", accounts.ListFilter{Role: accounts.Editor}, []string{"Ben Porter"}, 1},
		{"partner", accounts.ListFilter{PartnerID: trust.ID}, []string{"Cy Nurse", "Di Clerk"}, 2},
		{"second page", accounts.ListFilter{Page: 2, PerPage: 2}, []string{"Cy Nurse", "Di Clerk"}, 5},
		{"past the end", accounts.ListFilter{Page: 9, PerPage: 2}, nil, 5},
		{"combined", accounts.ListFilter{Query: "nurse", PartnerID: trust.ID}, []string{"Cy Nurse"}, 1},
	}
	for _, c := range cases {
		users, total, err := s.List(ctx, c.filter)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var names []string
		for _, u := range users {
			names = append(names, u.Name)
		}
		if fmt.Sprint(names) != fmt.Sprint(c.wantNames) || total != c.wantTotal {
			t.Errorf("%s: %v (total %d), want %v (total %d)", c.name, names, total, c.wantNames, c.wantTotal)
		}
	}
	users, _, _ := s.List(ctx, accounts.ListFilter{Query: "Di Clerk"})
	if len(users) != 1 || len(users[0].Memberships) != 1 || users[0].Memberships[0].Role != accounts.PartnerAdmin {
		t.Errorf("listed users carry no memberships: %+v", users)
	}
}

func TestSetRoleDisabledAndName_ChangeTheUserOrSayWhy(t *testing.T) {
	s, _ := newStore(t)
	u := signUp(t, s, "")
	must(t, s.SetRole(ctx, u.ID, accounts.Admin))
	must(t, s.SetDisabled(ctx, u.ID, true))
	must(t, s.UpdateName(ctx, u.ID, "  New Name "))
	got, _ := s.Get(ctx, u.ID)
	if got.Role != accounts.Admin || !got.Disabled || got.Name != "New Name" {
		t.Errorf("after changes: %+v", got)
	}
	must(t, s.SetDisabled(ctx, u.ID, false))
	if got, _ := s.Get(ctx, u.ID); got.Disabled {
		t.Errorf("still disabled after re-enabling")
	}
	var verr accounts.ValidationError
	if err := s.SetRole(ctx, u.ID, "overlord"); !errors.As(err, &verr) || verr["role"] == "" {
		t.Errorf("unknown role: %v, want a role error", err)
	}
	if err := s.UpdateName(ctx, u.ID, "   "); !errors.As(err, &verr) || verr["name"] != "Enter your name" {
		t.Errorf("blank name: %v", err)
	}
	if err := s.SetRole(ctx, 9999, accounts.Editor); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("missing user: %v, want ErrNotFound", err)
	}
}

func TestMembers_ListsMembersAndPendingInvitations(t *testing.T) {
	s, c := newStore(t)
	trust := partner(t, "fen-trust", "Fen Trust")
	boss := signUp(t, s, "boss@example.org")
	must(t, s.UpdateName(ctx, boss.ID, "Bea Boss"))
	must(t, s.AddMember(ctx, boss.ID, trust.ID, accounts.PartnerAdmin))
	if _, err := s.Invite(ctx, trust.ID, "new@example.org", accounts.Recruiter, boss.ID, 72*time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Invite(ctx, trust.ID, "old@example.org", accounts.Recruiter, 0, time.Hour); err != nil {
		t.Fatal(err)
	}
	c.Advance(2 * time.Hour)
	members, invitations, err := s.Members(ctx, trust.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 1 || members[0].User.ID != boss.ID || members[0].Role != accounts.PartnerAdmin {
		t.Errorf("members %+v", members)
	}
	if len(invitations) != 1 {
		t.Fatalf("pending invitations %+v, want only the unexpired one", invitations)
	}
	inv := invitations[0]
	if inv.Email != "new@example.org" || inv.InvitedBy != "Bea Boss" || inv.PartnerName != "Fen Trust" || len(inv.ID) != 16 {
		t.Errorf("invitation %+v", inv)
	}
	must(t, s.CancelInvitation(ctx, trust.ID, inv.ID))
	if _, invitations, _ := s.Members(ctx, trust.ID); len(invitations) != 0 {
		t.Errorf("cancelled invitation still pending: %+v", invitations)
	}
	if err := s.CancelInvitation(ctx, trust.ID, inv.ID); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("cancelling twice: %v, want ErrNotFound", err)
	}
	must(t, s.RemoveMember(ctx, boss.ID, trust.ID))
	if err := s.RemoveMember(ctx, boss.ID, trust.ID); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("removing a non-member: %v, want ErrNotFound", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
