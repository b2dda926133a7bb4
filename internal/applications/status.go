package applications

import "slices"

// The statuses of an application, in the order it moves through them.
const (
	Submitted    = "submitted"
	UnderReview  = "under-review"
	Shortlisted  = "shortlisted"
	Interview    = "interview"
	Offered      = "offered"
	Accepted     = "accepted"
	Unsuccessful = "unsuccessful"
	Withdrawn    = "withdrawn"
)

// Statuses lists every status in order with what people read.
var Statuses = []struct{ Value, Label string }{
	{Submitted, "Submitted"},
	{UnderReview, "Under review"},
	{Shortlisted, "Shortlisted"},
	{Interview, "Invited to interview"},
	{Offered, "Offered the job"},
	{Accepted, "Offer accepted"},
	{Unsuccessful, "Unsuccessful"},
	{Withdrawn, "Withdrawn"},
}

// Label is status in words; an unknown status comes back as it is.
func Label(status string) string {
	for _, st := range Statuses {
		if st.Value == status {
			return st.Label
		}
	}
	return status
}

// Known reports whether status is one of Statuses.
func Known(status string) bool {
	return slices.ContainsFunc(Statuses, func(st struct{ Value, Label string }) bool { return st.Value == status })
}

// progress is where a status comes in the forward path; -1 for those off it.
func progress(status string) int {
	return slices.Index([]string{Submitted, UnderReview, Shortlisted, Interview, Offered, Accepted}, status)
}

// Final reports whether nothing more can happen to an application.
func Final(status string) bool {
	return status == Accepted || status == Unsuccessful || status == Withdrawn
}

// RecruiterCanMove reports whether a recruiter may move an application from
// one status to another: forward along the path (skipping steps is
// allowed), or to unsuccessful, and never out of a final status. Only the
// applicant withdraws.
func RecruiterCanMove(from, to string) bool {
	if Final(from) || !Known(from) {
		return false
	}
	if to == Unsuccessful {
		return true
	}
	return progress(to) > progress(from) && progress(from) >= 0
}

// RecruiterMoves lists the statuses a recruiter may move an application
// in status from to, in order.
func RecruiterMoves(from string) []string {
	var moves []string
	for _, st := range Statuses {
		if RecruiterCanMove(from, st.Value) {
			moves = append(moves, st.Value)
		}
	}
	return moves
}

// ApplicantCanWithdraw reports whether the applicant may still withdraw.
func ApplicantCanWithdraw(status string) bool { return Known(status) && !Final(status) }

// revealedSQL is true when application a has reached shortlisted or a
// later step: the recruiter then learns who the applicant is, and keeps
// knowing it whatever happens next.
const revealedSQL = `EXISTS (SELECT 1 FROM application_events re WHERE re.application_id = a.id
	AND re.status IN ('shortlisted', 'interview', 'offered', 'accepted'))`
