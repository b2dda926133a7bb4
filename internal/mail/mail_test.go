package mail_test

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/mail"
	"github.com/regionalcareers/portal/internal/mail/mailtest"
)

// defaults is the development configuration, as config.Load gives it.
func defaults(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestSend_DeliversBothBodiesAndExtraHeaders(t *testing.T) {
	server := mailtest.Start(t)
	sender := mail.NewSender(server.Configure(defaults(t)))
	// Longer than a header line may be, so it has to survive folding.
	unsubscribe := "<https://careers.localhost/alerts/unsubscribe?token=" + strings.Repeat("a1b2c3d4", 12) + ">"

	err := sender.Send(context.Background(), mail.Message{
		To:      "Ada Nurse <ada.headers@example.org>",
		Subject: "New jobs matching “band 5 nurse”",
		Text:    "Three new jobs match your alert.\n",
		HTML:    "<p>Three new jobs match your alert.</p>",
		Headers: map[string]string{"List-Unsubscribe": unsubscribe, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
	})
	if err != nil {
		t.Fatal(err)
	}

	got := server.WaitFor(t, "ada.headers@example.org", "band 5 nurse")
	if got.Subject != "New jobs matching “band 5 nurse”" {
		t.Errorf("subject = %q", got.Subject)
	}
	if !slices.Equal(got.To, []string{"ada.headers@example.org"}) || got.From != "no-reply@careers.localhost" {
		t.Errorf("to %v from %q, want ada.headers@example.org from no-reply@careers.localhost", got.To, got.From)
	}
	if strings.TrimSpace(got.Text) != "Three new jobs match your alert." || !strings.Contains(got.HTML, "<p>Three new jobs") {
		t.Errorf("text %q, html %q", got.Text, got.HTML)
	}
	for name, want := range map[string]string{
		"List-Unsubscribe":      unsubscribe,
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Auto-Submitted":        "auto-generated",
	} {
		if values := got.Headers[name]; len(values) != 1 || values[0] != want {
			t.Errorf("header %s = %q, want [%q]", name, values, want)
		}
	}
	if from := got.Headers["From"]; len(from) != 1 || !strings.Contains(from[0], "Cambridgeshire & Peterborough Health and Care Careers") {
		t.Errorf("From header %q lacks the portal's name", from)
	}
	if id := got.Headers["Message-Id"]; len(id) != 1 || !strings.HasSuffix(id[0], "@careers.localhost>") {
		t.Errorf("Message-ID %q is not in the sender's domain", id)
	}
}

func TestSend_TextOnlyMessageHasNoHTML(t *testing.T) {
	server := mailtest.Start(t)
	sender := mail.NewSender(server.Configure(defaults(t)))
	before := server.Count(t, "text.only@example.org") // the mailbox outlives a test run with -count
	if err := sender.Send(context.Background(), mail.Message{To: "text.only@example.org", Subject: "Plain", Text: "Just text."}); err != nil {
		t.Fatal(err)
	}
	if got := server.WaitFor(t, "text.only@example.org", "Plain"); got.HTML != "" || strings.TrimSpace(got.Text) != "Just text." {
		t.Errorf("text %q, html %q", got.Text, got.HTML)
	}
	if n := server.Count(t, "text.only@example.org"); n != before+1 {
		t.Errorf("count went from %d to %d, want one more", before, n)
	}
}

func TestSend_STARTTLSNeverFallsBackToPlainText(t *testing.T) {
	server := mailtest.Start(t)
	cfg := server.Configure(defaults(t))
	cfg.SMTPTLS = config.SMTPTLSStartTLS // and this Mailpit offers no STARTTLS
	before := server.Count(t, "starttls@example.org")
	err := mail.NewSender(cfg).Send(context.Background(), mail.Message{To: "starttls@example.org", Subject: "Hello", Text: "Hello."})
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("got %v, want an error about STARTTLS", err)
	}
	if n := server.Count(t, "starttls@example.org"); n != before {
		t.Errorf("the message went in plain text anyway (%d before, %d after)", before, n)
	}
}

// countingServer listens where a Sender will dial and counts the connections
// it gets, so a test can show that nothing was dialled.
func countingServer(t *testing.T) (config.Config, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var dialled atomic.Int32
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			dialled.Add(1)
			conn.Close()
		}
	}()
	cfg := defaults(t)
	cfg.SMTPPort = l.Addr().(*net.TCPAddr).Port
	return cfg, &dialled
}

func TestSend_RejectsABadMessageBeforeDialling(t *testing.T) {
	cfg, dialled := countingServer(t)
	sender := mail.NewSender(cfg)
	good := mail.Message{To: "someone@example.org", Subject: "Hello", Text: "Hello."}
	for name, tc := range map[string]struct {
		change func(*mail.Message)
		says   string
	}{
		"no recipient":          {func(m *mail.Message) { m.To = " " }, "no recipient"},
		"not an address":        {func(m *mail.Message) { m.To = "someone.example.org" }, "not one e-mail address"},
		"two recipients":        {func(m *mail.Message) { m.To = "a@example.org, b@example.org" }, "not one e-mail address"},
		"no subject":            {func(m *mail.Message) { m.Subject = "" }, "no subject"},
		"subject on two lines":  {func(m *mail.Message) { m.Subject = "Hello\r\nBcc: x@example.org" }, "line break"},
		"no text":               {func(m *mail.Message) { m.Text = "\n" }, "no text body"},
		"header with a newline": {func(m *mail.Message) { m.Headers = map[string]string{"X-Tag": "a\r\nBcc: x@example.org"} }, "line break"},
		"header sets From":      {func(m *mail.Message) { m.Headers = map[string]string{"from": "x@example.org"} }, "set by Send"},
		"bad header name":       {func(m *mail.Message) { m.Headers = map[string]string{"X Tag": "a"} }, "not valid"},
	} {
		m := good
		tc.change(&m)
		err := sender.Send(context.Background(), m)
		if !errors.Is(err, mail.ErrInvalidMessage) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: got %v, want ErrInvalidMessage saying %q", name, err, tc.says)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "send mail to "+m.To+": ") {
			t.Errorf("%s: error %q does not start with the recipient", name, err)
		}
	}
	if n := dialled.Load(); n != 0 {
		t.Errorf("invalid messages dialled the server %d times", n)
	}
}

func TestSend_CancelledContextDialsNothing(t *testing.T) {
	cfg, dialled := countingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := mail.NewSender(cfg).Send(ctx, mail.Message{To: "someone@example.org", Subject: "Hello", Text: "Hello."})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if n := dialled.Load(); n != 0 {
		t.Errorf("dialled %d times", n)
	}
}

func TestSend_UnreachableServerIsAnErrorNamingIt(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := defaults(t)
	cfg.SMTPPort = l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now

	start := time.Now()
	err = mail.NewSender(cfg).Send(context.Background(), mail.Message{To: "someone@example.org", Subject: "Hello", Text: "Hello."})
	if err == nil || !strings.Contains(err.Error(), "send mail to someone@example.org") || !strings.Contains(err.Error(), l.Addr().String()) {
		t.Errorf("got %v, want an error naming the recipient and %s", err, l.Addr())
	}
	if errors.Is(err, mail.ErrInvalidMessage) {
		t.Errorf("a refused connection is not an invalid message: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %s to notice a refused connection", elapsed)
	}
}

// templateSamples holds data for every template. Each key must be one its
// template uses: TestRender_FailsWhenAKeyIsMissing removes them one by one.
var templateSamples = map[string]map[string]any{
	"verify-email":   {"Name": "Ada", "Link": "https://careers.localhost/account/verify?token=v3r1fy", "Hours": 24},
	"reset-password": {"Name": "Ada", "Link": "https://careers.localhost/account/reset?token=r3s3t", "Minutes": 60},
	"account-exists": {
		"Name": "Ada", "SignInLink": "https://careers.localhost/sign-in", "ResetLink": "https://careers.localhost/account/reset",
	},
	"password-changed": {
		"Name": "Ada", "When": time.Date(2026, 7, 1, 13, 5, 0, 0, time.UTC), "ResetLink": "https://careers.localhost/account/reset",
	},
	"invitation": {
		"PartnerName": "Fenland Community Care", "InviterName": "Grace Hopper", "Role": "recruiter",
		"Link": "https://careers.localhost/invitations/1nv1te", "Days": 7,
	},
	"two-factor-changed": {"Name": "Ada", "Enabled": true, "When": time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)},
	"alert-confirm": {"Description": "Nurse jobs within 10 miles of Wisbech", "Frequency": "once a day", "Confirmed": false,
		"Link": "https://careers.localhost/alerts/confirm?token=c0nf1rm", "ManageLink": "https://careers.localhost/alerts/manage?token=c0nf1rm"},
	"alert-digest": {"Count": 2, "Description": "Nurse jobs within 10 miles of Wisbech", "Frequency": "once a day",
		"Roles": []map[string]any{
			{"Title": "Community Staff Nurse", "Employer": "Fen Valley Trust", "Place": "Wisbech", "Pay": "Band 5: £29,970 to £36,483 a year",
				"Closing": "9 December 2026", "Link": "https://careers.localhost/jobs/1/community-staff-nurse"},
			{"Title": "District Nurse", "Employer": "Fen Valley Trust", "Place": "", "Pay": "",
				"Closing": "10 December 2026", "Link": "https://careers.localhost/jobs/2/district-nurse"},
		},
		"SearchLink":      "https://careers.localhost/jobs?q=nurse",
		"ManageLink":      "https://careers.localhost/alerts/manage?token=d1g3st",
		"UnsubscribeLink": "https://careers.localhost/alerts/unsubscribe?token=d1g3st"},
	"application-received": {"Name": "Ada", "Role": "Staff nurse", "Employer": "Fen Valley Trust",
		"Link": "https://careers.localhost/account/applications/7"},
	"application-status": {"Name": "Ada", "Role": "Staff nurse", "Employer": "Fen Valley Trust", "Status": "Shortlisted",
		"Note": "We will call you about an interview.", "Link": "https://careers.localhost/account/applications/7"},
}

func TestRender_EveryTemplateReadsWell(t *testing.T) {
	files, err := os.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(f.Name(), ".txt")
		data, ok := templateSamples[name]
		if !ok {
			t.Errorf("templates/%s has no sample data in this test", f.Name())
			continue
		}
		subject, text, err := mail.Render(name, data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if subject == "" || strings.Contains(subject, "\n") || len(subject) > 78 {
			t.Errorf("%s: subject %q should be one short line", name, subject)
		}
		if !strings.HasSuffix(text, "\n\nCambridgeshire & Peterborough Health and Care Careers\n") {
			t.Errorf("%s: body does not end with the sign-off:\n%s", name, text)
		}
		for key, value := range data {
			if s, ok := value.(string); ok && strings.HasPrefix(s, "https://") && !slices.Contains(mailtest.Links(text), s) {
				t.Errorf("%s: body lacks %s (%s):\n%s", name, key, s, text)
			}
		}
		if strings.Contains(text, "<no value>") || strings.Contains(text, "{{") {
			t.Errorf("%s: body has template left-overs:\n%s", name, text)
		}
	}
}

func TestRender_SaysWhatEachMessageMustSay(t *testing.T) {
	for _, tc := range []struct {
		name     string
		change   map[string]any
		subject  string
		bodyHas  []string
		bodyLack []string
	}{
		{"verify-email", nil, "Confirm your e-mail address", []string{"Hello Ada,", "works for 24 hours."}, nil},
		{"verify-email", map[string]any{"Name": "", "Hours": 1}, "", []string{"Hello,\n", "works for 1 hour."}, nil},
		{"reset-password", nil, "Reset your password",
			[]string{"If you did not ask, ignore this e-mail; your password has not changed.", "60 minutes"}, nil},
		{"account-exists", nil, "You already have an account", []string{"already an account"}, nil},
		{"password-changed", nil, "Your password has been changed",
			[]string{"1 July 2026 at 14:05 (UK time)", "If this was not you, reset your password now"}, nil},
		{"invitation", nil, "You have been invited to join Fenland Community Care",
			[]string{"Grace Hopper has invited you", "as a recruiter.", "expires in 7 days."}, nil},
		{"invitation", map[string]any{"Role": "partner admin", "Days": 1}, "", []string{"as a partner admin.", "expires in 1 day."}, nil},
		{"two-factor-changed", nil, "Two-factor authentication is on for your account",
			[]string{"turned on", "15 January 2026 at 09:30 (UK time)"}, []string{"turned off"}},
		{"two-factor-changed", map[string]any{"Enabled": false}, "Two-factor authentication is off for your account",
			[]string{"turned off"}, []string{"turned on"}},
		{"alert-confirm", nil, "Confirm your job alert",
			[]string{"e-mail this address once a day", "Nurse jobs within 10 miles of Wisbech", "We will send nothing until you confirm."}, nil},
		{"alert-confirm", map[string]any{"Confirmed": true}, "Your job alert",
			[]string{"that you already have", "Nothing has changed"}, []string{"confirm?token="}},
		{"alert-digest", nil, "2 new jobs: Nurse jobs within 10 miles of Wisbech",
			[]string{"2 new jobs match your job alert", "Community Staff Nurse\nFen Valley Trust, Wisbech\nPay: Band 5",
				"Closing date: 9 December 2026\nhttps://careers.localhost/jobs/1/community-staff-nurse",
				"District Nurse\nFen Valley Trust\nClosing date: 10 December 2026", "once a day"}, []string{"Pay: \n", "Fen Valley Trust, \n"}},
		{"alert-digest", map[string]any{"Count": 1}, "1 new job: Nurse jobs within 10 miles of Wisbech",
			[]string{"A new job matches your job alert"}, nil},
	} {
		data := map[string]any{}
		for k, v := range templateSamples[tc.name] {
			data[k] = v
		}
		for k, v := range tc.change {
			data[k] = v
		}
		subject, text, err := mail.Render(tc.name, data)
		if err != nil {
			t.Errorf("%s %v: %v", tc.name, tc.change, err)
			continue
		}
		if tc.subject != "" && subject != tc.subject {
			t.Errorf("%s %v: subject %q, want %q", tc.name, tc.change, subject, tc.subject)
		}
		for _, want := range tc.bodyHas {
			if !strings.Contains(text, want) {
				t.Errorf("%s %v: body lacks %q:\n%s", tc.name, tc.change, want, text)
			}
		}
		for _, unwanted := range tc.bodyLack {
			if strings.Contains(text, unwanted) {
				t.Errorf("%s %v: body has %q:\n%s", tc.name, tc.change, unwanted, text)
			}
		}
	}
}

func TestRender_FailsWhenAKeyIsMissing(t *testing.T) {
	for name, sample := range templateSamples {
		for missing := range sample {
			data := map[string]any{}
			for k, v := range sample {
				if k != missing {
					data[k] = v
				}
			}
			if _, _, err := mail.Render(name, data); err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s without %s: got %v, want an error naming the template", name, missing, err)
			}
		}
	}
}

func TestRender_UnknownTemplateIsAnError(t *testing.T) {
	if _, _, err := mail.Render("welcome-aboard", nil); err == nil || !strings.Contains(err.Error(), "welcome-aboard") {
		t.Errorf("got %v, want an error naming the template", err)
	}
}

func TestRenderedMail_ArrivesWithItsLink(t *testing.T) {
	server := mailtest.Start(t)
	sender := mail.NewSender(server.Configure(defaults(t)))
	data := templateSamples["verify-email"]
	subject, text, err := mail.Render("verify-email", data)
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(context.Background(), mail.Message{To: "ada.verify@example.org", Subject: subject, Text: text}); err != nil {
		t.Fatal(err)
	}
	got := server.WaitFor(t, "ada.verify@example.org", "Confirm your e-mail")
	if links := mailtest.Links(got.Text); !slices.Equal(links, []string{data["Link"].(string)}) {
		t.Errorf("links %q, want just %s; body:\n%s", links, data["Link"], got.Text)
	}
}
