package alerts_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/alerts"
	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/mail"
	"github.com/regionalcareers/portal/internal/mail/mailtest"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

// digestFixture is a real PostgreSQL, Meilisearch and Mailpit with one
// partner, and digests wired as serve wires them.
type digestFixture struct {
	cfg     config.Config
	pool    *pgxpool.Pool
	vs      *vacancies.Store
	client  *search.Client
	syncer  *search.Syncer
	store   *alerts.Store
	digests *alerts.Digests
	mail    *mailtest.Server
	trust   partners.Partner
}

var inboxes atomic.Int64

// inbox is an address of the test's own: the package's tests, and earlier
// runs with -count, share one Mailpit.
func inbox(name string) string { return fmt.Sprintf("%s.%d@example.org", name, inboxes.Add(1)) }

func newDigests(t *testing.T) *digestFixture {
	t.Helper()
	mails := mailtest.Start(t)
	cfg := mails.Configure(testenv.ConfigForTest(t))
	pool, ps, vs := vt.Stores(t)
	client := search.New(cfg)
	must(t, client.EnsureVacancyIndex(context.Background()))
	f := &digestFixture{cfg: cfg, pool: pool, vs: vs, client: client, syncer: search.NewSyncer(client, vs), mail: mails,
		store: alerts.NewStore(pool, []byte(cfg.Secret), geo.Default()), trust: vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)}
	f.digests = f.withSender(mail.NewSender(cfg))
	return f
}

func (f *digestFixture) withSender(sender *mail.Sender) *alerts.Digests {
	return alerts.NewDigests(f.store, f.client, f.vs, sender, f.cfg.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// post saves roles and indexes them, as the outbox worker would.
func (f *digestFixture) post(t *testing.T, list ...vacancies.Vacancy) []vacancies.Vacancy {
	t.Helper()
	list = vt.Save(t, f.vs, list...)
	ids := make([]int64, len(list))
	for i, v := range list {
		ids[i] = v.ID
	}
	must(t, f.syncer.Sync(context.Background(), ids))
	return list
}

// subscribe sets up a confirmed alert and returns it.
func (f *digestFixture) subscribe(t *testing.T, email, raw string) alerts.Alert {
	t.Helper()
	token, err := f.store.Subscribe(context.Background(), email, 0, query(raw), "", alerts.Instant)
	must(t, err)
	a, err := f.store.Confirm(context.Background(), token)
	must(t, err)
	return a
}

func (f *digestFixture) send(t *testing.T, a alerts.Alert) int {
	t.Helper()
	n, err := f.digests.Send(context.Background(), a.ID)
	must(t, err)
	return n
}

func TestDigest_SendsNewLiveMatchingRolesOnceAndNeverAClosedOne(t *testing.T) {
	f := newDigests(t)
	ctx := context.Background()
	to := inbox("digest.flow")
	first := f.post(t,
		vt.New(f.trust, vt.Title("Community Staff Nurse"), vt.At(vt.Wisbech)),
		vt.New(f.trust, vt.Title("Care Assistant"), vt.At(vt.Wisbech)),
		vt.New(f.trust, vt.Title("Theatre Nurse"), vt.At(vt.Leeds)),
	)
	token, err := f.store.Subscribe(ctx, to, 0, query("q=nurse&location=Wisbech"), "Nurse jobs within 10 miles of Wisbech", alerts.Daily)
	must(t, err)

	// Nothing goes before the address confirms.
	if n := f.send(t, mustAlert(t, f.store, token)); n != 0 || f.mail.Count(t, to) != 0 {
		t.Fatalf("an unconfirmed alert sent %d roles (%d e-mails)", n, f.mail.Count(t, to))
	}
	a, err := f.store.Confirm(ctx, token)
	must(t, err)
	if n := f.send(t, a); n != 1 {
		t.Fatalf("first digest listed %d roles, want the one nurse role near Wisbech", n)
	}
	got := f.mail.WaitFor(t, to, "1 new job: Nurse jobs within 10 miles of Wisbech")
	for _, want := range []string{"Community Staff Nurse", "Test fen-valley-trust, Wisbech", "Band 3",
		"Closing date: " + first[0].ClosingOn.Format("2 January 2006"), f.cfg.BaseURL + first[0].Path(),
		f.cfg.BaseURL + "/alerts/manage?token=" + a.Token, f.cfg.BaseURL + "/jobs?distance=10&location=Wisbech&q=nurse"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("digest lacks %q:\n%s", want, got.Text)
		}
	}
	if strings.Contains(got.Text, "Care Assistant") || strings.Contains(got.Text, "Theatre Nurse") {
		t.Errorf("digest lists a role that does not match:\n%s", got.Text)
	}
	unsubscribe := f.cfg.BaseURL + "/alerts/unsubscribe?token=" + a.Token
	if h := got.Headers["List-Unsubscribe"]; len(h) != 1 || h[0] != "<"+unsubscribe+">" {
		t.Errorf("List-Unsubscribe = %q, want <%s>", h, unsubscribe)
	}
	if h := got.Headers["List-Unsubscribe-Post"]; len(h) != 1 || h[0] != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", h)
	}

	// Two new nurse roles are indexed; one closes before the digest runs
	// and is still in the index (its sync has not run): PostgreSQL decides.
	next := f.post(t,
		vt.New(f.trust, vt.Title("District Nurse"), vt.At(vt.Wisbech)),
		vt.New(f.trust, vt.Title("Practice Nurse"), vt.At(vt.Wisbech)),
	)
	must(t, f.vs.SetStatus(ctx, next[1].ID, vacancies.Closed))
	if n := f.send(t, a); n != 1 {
		t.Fatalf("second digest listed %d roles, want only the open new one", n)
	}
	got = f.mail.WaitFor(t, to, "1 new job")
	if !strings.Contains(got.Text, "District Nurse") || strings.Contains(got.Text, "Practice Nurse") || strings.Contains(got.Text, "Community Staff Nurse") {
		t.Errorf("second digest should list only District Nurse:\n%s", got.Text)
	}

	// Running again finds nothing new and sends nothing.
	before := f.mail.Count(t, to)
	if n := f.send(t, a); n != 0 || f.mail.Count(t, to) != before {
		t.Errorf("a repeat run sent %d roles (%d e-mails, was %d)", n, f.mail.Count(t, to), before)
	}

	// Another alert for the same address never repeats a role it was sent.
	other := f.subscribe(t, to, "location=Wisbech")
	if n := f.send(t, other); n != 1 {
		t.Errorf("second alert listed %d roles, want only the care assistant", n)
	}
	got = f.mail.WaitFor(t, to, "1 new job: Jobs within 10 miles of Wisbech")
	if !strings.Contains(got.Text, "Care Assistant") || strings.Contains(got.Text, "Nurse") {
		t.Errorf("second alert repeated roles already sent to the address:\n%s", got.Text)
	}

	// After unsubscribing nothing more is sent.
	_, err = f.store.Unsubscribe(ctx, a.Token)
	must(t, err)
	f.post(t, vt.New(f.trust, vt.Title("Night Nurse"), vt.At(vt.Wisbech)))
	before = f.mail.Count(t, to)
	if n := f.send(t, a); n != 0 || f.mail.Count(t, to) != before {
		t.Errorf("an unsubscribed alert sent %d roles", n)
	}
}

func mustAlert(t *testing.T, s *alerts.Store, token string) alerts.Alert {
	t.Helper()
	a, err := s.ByToken(context.Background(), token)
	must(t, err)
	return a
}

func TestDigest_AFailedSendIsRetriedWithTheSameRoles(t *testing.T) {
	f := newDigests(t)
	to := inbox("digest.retry")
	f.post(t, vt.New(f.trust, vt.Title("Radiographer")))
	a := f.subscribe(t, to, "q=radiographer")

	// An SMTP server that is not there: the e-mail fails.
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	down := f.cfg
	down.SMTPPort = closed.Addr().(*net.TCPAddr).Port
	must(t, closed.Close())
	if _, err := f.withSender(mail.NewSender(down)).Send(context.Background(), a.ID); err == nil {
		t.Fatal("a send whose e-mail failed reported success, so the job would not retry")
	}
	if after, _ := f.store.ByToken(context.Background(), a.Token); !after.LastSentAt.IsZero() {
		t.Errorf("last_sent_at moved to %v though nothing was sent", after.LastSentAt)
	}
	if n := f.send(t, a); n != 1 {
		t.Fatalf("the retry listed %d roles, want the radiographer again", n)
	}
	if got := f.mail.WaitFor(t, to, "1 new job"); !strings.Contains(got.Text, "Radiographer") {
		t.Errorf("retry mail:\n%s", got.Text)
	}
}

func TestDigest_AlertsRacingForOneAddressNeverSendARoleTwice(t *testing.T) {
	f := newDigests(t)
	to := inbox("digest.race")
	var roles []vacancies.Vacancy
	for range 6 {
		roles = append(roles, vt.New(f.trust, vt.Title("Occupational therapist")))
	}
	f.post(t, roles...)
	var list []alerts.Alert
	for _, raw := range []string{"q=occupational+therapist", "q=therapist", "staff_group=additional-clinical", ""} {
		list = append(list, f.subscribe(t, to, raw))
	}
	var wg sync.WaitGroup
	counts := make([]int, len(list))
	for i, a := range list {
		wg.Go(func() {
			n, err := f.digests.Send(context.Background(), a.ID)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		})
	}
	wg.Wait()
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != len(roles) {
		t.Errorf("the alerts listed %v roles between them, want each of the %d roles exactly once", counts, len(roles))
	}
	var rows int
	must(t, f.pool.QueryRow(context.Background(), `SELECT count(*) FROM alert_sent WHERE email = $1`, to).Scan(&rows))
	if rows != len(roles) {
		t.Errorf("%d roles recorded as sent, want %d", rows, len(roles))
	}
}
