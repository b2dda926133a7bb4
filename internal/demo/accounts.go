package demo

import (
	"context"
	"errors"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/partners"
)

// DevPassword is the demo accounts' password on a developer's machine,
// when PORTAL_DEMO_PASSWORD does not give one. Production never seeds
// demo accounts.
const DevPassword = "demo-portal-password"

// Account is one demo sign-in, for the README and seed's output.
type Account struct {
	Email, Role string
}

// demoAccounts are one of each kind of user, on the demo partners.
var demoAccounts = []struct {
	email, name string
	role        accounts.Role
	partner     string
	partnerRole accounts.PartnerRole
	label       string
}{
	{"jobseeker@demo.localhost", "Jo Seeker", accounts.Jobseeker, "", "", "jobseeker"},
	{"recruiter@demo.localhost", "Rita Recruiter", accounts.Jobseeker, "nenebridge-hospitals", accounts.Recruiter, "recruiter, Nenebridge Hospitals"},
	{"partner-admin@demo.localhost", "Pat Partner-Admin", accounts.Jobseeker, "nenebridge-hospitals", accounts.PartnerAdmin, "partner admin, Nenebridge Hospitals (two-factor set-up on first visit)"},
	{"care-recruiter@demo.localhost", "Cal Carer", accounts.Jobseeker, "fenland-valley-community-health", accounts.Recruiter, "recruiter, Fenland Valley Community Health"},
	{"editor@demo.localhost", "Eddie Editor", accounts.Editor, "", "", "editor"},
	{"admin@demo.localhost", "Ada Admin", accounts.Admin, "", "", "system admin (two-factor set-up on first visit)"},
}

// SeedAccounts creates the demo accounts, verified, with password. Ones
// that exist are left as they are.
func SeedAccounts(ctx context.Context, st *accounts.Store, ps *partners.Store, password string) (list []Account, err error) {
	defer wrap(&err, "seed demo accounts")
	for _, a := range demoAccounts {
		list = append(list, Account{Email: a.email, Role: a.label})
		u, err := st.SignUp(ctx, a.email, a.name, password)
		if errors.Is(err, accounts.ErrEmailTaken) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := st.MarkEmailVerified(ctx, u.ID); err != nil {
			return nil, err
		}
		if a.role != accounts.Jobseeker {
			if err := st.SetRole(ctx, u.ID, a.role); err != nil {
				return nil, err
			}
		}
		if a.partner != "" {
			p, err := ps.BySlug(ctx, a.partner)
			if err != nil {
				return nil, err
			}
			if err := st.AddMember(ctx, u.ID, p.ID, a.partnerRole); err != nil {
				return nil, err
			}
		}
	}
	return list, nil
}
