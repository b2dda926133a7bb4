package profiles_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/regionalcareers/portal/internal/profiles"
)

func TestExport_HoldsEverythingAboutThePersonAndNoSecrets(t *testing.T) {
	e := setUp(t)
	ctx := context.Background()
	owner, other := e.user(t, "jo@example.org"), e.user(t, "sam@example.org")
	must(t, e.store.Save(ctx, goodProfile(owner)))
	itemID, err := e.store.AddItem(ctx, owner, profiles.PassportItem{Kind: profiles.DBS, Title: "Enhanced", Reference: "001234567890"})
	must(t, err)
	_, err = e.store.AddEvidence(ctx, owner, itemID, "dbs certificate.pdf", minimalPDF())
	must(t, err)
	_, err = e.store.AddItem(ctx, other, profiles.PassportItem{Kind: profiles.Training, Title: "Someone else's training"})
	must(t, err)
	vacancy := e.saveVs("Staff nurse")[0]
	var appID int64
	must(t, e.pool.QueryRow(ctx, `INSERT INTO applications (vacancy_id, partner_id, user_id, name, email, profile, statement, passport_shared)
		VALUES ($1, $2, $3, 'Jo', 'jo@example.org', '{"phone": "07700 900982"}', 'I would love this job', true) RETURNING id`,
		vacancy, e.trust.ID, owner).Scan(&appID))
	_, err = e.pool.Exec(ctx, `INSERT INTO application_events (application_id, status) VALUES ($1, 'submitted'), ($1, 'shortlisted')`, appID)
	must(t, err)
	_, err = e.pool.Exec(ctx, `INSERT INTO alerts (email, user_id, query, description, frequency, token_hash)
		VALUES ('jo@example.org', $1, 'q=nurse', 'Nurse jobs in Ely', 'daily', '\x01'),
		       ('sam@example.org', $2, 'q=porter', 'Porter jobs', 'weekly', '\x02')`, owner, other)
	must(t, err)

	x, err := e.store.Export(ctx, owner)
	must(t, err)
	raw, err := json.Marshal(x)
	must(t, err)
	text := string(raw)
	for _, want := range []string{`"email":"jo@example.org"`, `"phone":"07700 900982"`, `"postcode":"CB7 4NS"`,
		`"registration_number":"12A3456B"`, `"employer":"Fen Valley Trust"`, `"name":"Sam Ward"`,
		`"title":"Enhanced"`, `"reference":"001234567890"`, `"name":"dbs certificate.pdf"`,
		`"vacancy":"Staff nurse"`, `"statement":"I would love this job"`, `"status":"shortlisted"`, `"description":"Nurse jobs in Ely"`} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	for _, leak := range []string{"Someone else", "Porter", "not-a-hash", "password_hash", "token", "%PDF"} {
		if strings.Contains(text, leak) {
			t.Errorf("export contains %q", leak)
		}
	}
	if len(x.Applications) != 1 || len(x.Applications[0].History) != 2 || len(x.Passport) != 1 || len(x.Alerts) != 1 {
		t.Errorf("export: %d applications, %d items, %d alerts", len(x.Applications), len(x.Passport), len(x.Alerts))
	}

	empty, err := e.store.Export(ctx, e.user(t, "new@example.org"))
	must(t, err)
	raw, _ = json.Marshal(empty)
	if strings.Contains(string(raw), "null") {
		t.Errorf("an empty export has nulls where lists belong: %s", raw)
	}
}

func TestDeleteAccount_TakesEverythingButTheApplicationSnapshot(t *testing.T) {
	e := setUp(t)
	ctx := context.Background()
	owner, other := e.user(t, "jo@example.org"), e.user(t, "sam@example.org")
	must(t, e.store.Save(ctx, goodProfile(owner)))
	must(t, e.store.Save(ctx, goodProfile(other)))
	itemID, err := e.store.AddItem(ctx, owner, profiles.PassportItem{Kind: profiles.DBS, Title: "Enhanced"})
	must(t, err)
	ev, err := e.store.AddEvidence(ctx, owner, itemID, "dbs.pdf", minimalPDF())
	must(t, err)
	vacancy := e.saveVs("Staff nurse")[0]
	var appID int64
	must(t, e.pool.QueryRow(ctx, `INSERT INTO applications (vacancy_id, partner_id, user_id, name, email, profile, statement, passport_shared)
		VALUES ($1, $2, $3, 'Jo', 'jo@example.org', '{}', 'Hello', true) RETURNING id`, vacancy, e.trust.ID, owner).Scan(&appID))
	_, err = e.pool.Exec(ctx, `INSERT INTO alerts (email, user_id, query, description, frequency, token_hash)
		VALUES ('jo@example.org', NULL, 'q=nurse', 'Nurse jobs', 'daily', '\x01')`)
	must(t, err)

	must(t, e.store.DeleteAccount(ctx, owner))

	if _, err := e.store.Get(ctx, owner); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("profile after deletion: %v", err)
	}
	if _, _, err := e.store.EvidenceForPartner(ctx, e.trust.ID, ev.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("evidence after deletion: %v", err)
	}
	var left int
	must(t, e.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM profiles WHERE user_id = $1) + (SELECT count(*) FROM passport_items WHERE user_id = $1)
		+ (SELECT count(*) FROM evidence_files) + (SELECT count(*) FROM alerts)`, owner).Scan(&left))
	if left != 0 {
		t.Errorf("%d rows of the deleted account are left", left)
	}
	var userID *int64
	var name string
	must(t, e.pool.QueryRow(ctx, `SELECT user_id, name FROM applications WHERE id = $1`, appID).Scan(&userID, &name))
	if userID != nil || name != "Jo" {
		t.Errorf("application after deletion: user %v, name %q; want no user and the snapshot kept", userID, name)
	}
	if p, err := e.store.Get(ctx, other); err != nil || p.Phone == "" {
		t.Errorf("someone else's profile went too: %+v %v", p, err)
	}
	if err := e.store.DeleteAccount(ctx, owner); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
}
