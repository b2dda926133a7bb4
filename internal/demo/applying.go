package demo

import (
	"context"

	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// portalApply are the demo partners whose jobs take applications on the
// portal (the rest link out to their own sites), with the screening
// questions they ask.
var portalApply = map[string][]string{
	"quillfen-care-homes": {
		"Do you hold a full UK driving licence and have access to a car?",
		"Which shifts can you work: days, nights, weekends?",
	},
	"larkmoor-house-hospice": {
		"Why would you like to work in a hospice?",
	},
	"fenward-carers-network": {
		"Tell us about any unpaid caring you have done.",
	},
}

// SeedApplying switches the portalApply partners' jobs to applications on
// the portal and sets their screening questions.
func SeedApplying(ctx context.Context, ps *partners.Store, vs *vacancies.Store, apps *applications.Store) (err error) {
	defer wrap(&err, "seed portal applications")
	for slug, questions := range portalApply {
		p, err := ps.BySlug(ctx, slug)
		if err != nil {
			return err
		}
		if err := vs.TakeApplicationsHere(ctx, p.ID); err != nil {
			return err
		}
		if err := apps.SetQuestions(ctx, p.ID, questions); err != nil {
			return err
		}
	}
	return nil
}
