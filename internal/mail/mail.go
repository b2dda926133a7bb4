// Package mail owns the portal's outgoing e-mail: the plain-text templates its
// messages are written from, and sending them over SMTP. It knows nothing of
// accounts, tokens or partners: callers build links and names and pass them in
// as template data. Sending waits on a remote server, so it belongs in a
// background job or after a transaction has committed, never inside one.
package mail

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/regionalcareers/portal/internal/config"
)

// sendTimeout bounds one whole send: connecting, the SMTP exchange and the
// upload. Transactional mail is small, so a server slower than this is stuck.
const sendTimeout = 10 * time.Second

// ErrInvalidMessage is wrapped by Send when the message itself is wrong (a bad
// address, an empty subject), so retrying cannot help.
var ErrInvalidMessage = errors.New("invalid message")

// Message is one e-mail to one person.
type Message struct {
	To      string // "someone@example.org" or "Name <someone@example.org>"
	Subject string
	Text    string            // the plain-text body; always sent
	HTML    string            // optional HTML alternative
	Headers map[string]string // extra headers, e.g. List-Unsubscribe
}

// Sender sends messages through the SMTP server in the configuration.
type Sender struct {
	host     string
	port     int
	tls      string
	username string
	password string
	from     *netmail.Address
	fromErr  error // MAIL_FROM did not parse; reported by every Send
}

// NewSender returns a Sender for cfg's SMTP settings and MAIL_FROM.
func NewSender(cfg config.Config) *Sender {
	from, err := netmail.ParseAddress(cfg.MailFrom)
	return &Sender{
		host:     cfg.SMTPHost,
		port:     cfg.SMTPPort,
		tls:      cfg.SMTPTLS,
		username: cfg.SMTPUsername,
		password: cfg.SMTPPassword,
		from:     from,
		fromErr:  err,
	}
}

// Send delivers m over one new SMTP connection. A message that is not valid
// fails with ErrInvalidMessage before anything is dialled. ctx cancels the
// dial; after that, reads and writes time out at ctx's deadline or after ten
// seconds, whichever is sooner (go-mail restarts that clock once, just before
// the message goes).
func (s *Sender) Send(ctx context.Context, m Message) error {
	if err := s.send(ctx, m); err != nil {
		return fmt.Errorf("send mail to %s: %w", m.To, err)
	}
	return nil
}

func (s *Sender) send(ctx context.Context, m Message) error {
	if err := m.validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidMessage, err)
	}
	if s.fromErr != nil {
		return fmt.Errorf("MAIL_FROM: %w", s.fromErr)
	}
	msg, err := s.compose(m)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	// go-mail passes ctx to the dial only; its own timeout, set to what is
	// left of ctx, is the deadline on the reads and writes after that.
	deadline, _ := ctx.Deadline()
	client, err := gomail.NewClient(s.host, s.options(max(time.Until(deadline), time.Millisecond))...)
	if err != nil {
		return fmt.Errorf("set up SMTP client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s: %w", client.ServerAddr(), err)
	}
	return nil
}

func (s *Sender) options(timeout time.Duration) []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(timeout)}
	switch s.tls {
	case config.SMTPTLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case config.SMTPTLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default: // config.SMTPTLSStartTLS, and anything unchecked: the safe choice
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.username != "" {
		// Auto-discovery picks the strongest mechanism the server offers and
		// never sends PLAIN or LOGIN over an unencrypted connection.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.username), gomail.WithPassword(s.password))
	}
	return opts
}

func (s *Sender) compose(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from.String()); err != nil {
		return nil, fmt.Errorf("MAIL_FROM: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidMessage, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	// A Message-ID in the sender's own domain, rather than this machine's
	// host name, is what spam filters expect of a domain's mail.
	msg.SetMessageIDWithValue(rand.Text() + "@" + domain(s.from.Address))
	// RFC 3834: stops out-of-office replies to an address nobody reads.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	for name, value := range m.Headers {
		msg.SetGenHeader(gomail.Header(textproto.CanonicalMIMEHeaderKey(name)), value)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

func domain(address string) string {
	_, after, _ := strings.Cut(address, "@")
	return after
}

// headerName is what RFC 5322 field names look like in practice.
var headerName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*$`)

// reservedHeaders are set from Message's own fields or by Send; setting them
// again through Headers would send two of each.
var reservedHeaders = map[string]bool{
	"From": true, "To": true, "Cc": true, "Bcc": true, "Subject": true, "Date": true, "Message-Id": true,
	"Mime-Version": true, "Content-Type": true, "Content-Transfer-Encoding": true, "Auto-Submitted": true,
}

// validate lists every problem at once, on one line, so a log shows them all.
func (m Message) validate() error {
	var problems []string
	if strings.TrimSpace(m.To) == "" {
		problems = append(problems, "no recipient")
	} else if _, err := netmail.ParseAddress(m.To); err != nil {
		problems = append(problems, fmt.Sprintf("recipient %q is not one e-mail address (%v)", m.To, err))
	}
	if strings.TrimSpace(m.Subject) == "" {
		problems = append(problems, "no subject")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		problems = append(problems, "the subject has a line break")
	}
	if strings.TrimSpace(m.Text) == "" {
		problems = append(problems, "no text body")
	}
	for _, name := range slices.Sorted(maps.Keys(m.Headers)) {
		value := m.Headers[name]
		switch {
		case !headerName.MatchString(name):
			problems = append(problems, fmt.Sprintf("header name %q is not valid", name))
		case reservedHeaders[textproto.CanonicalMIMEHeaderKey(name)]:
			problems = append(problems, fmt.Sprintf("header %s is set by Send, not through Headers", name))
		case strings.ContainsAny(value, "\r\n"):
			// A line break would let the value start headers of its own.
			problems = append(problems, fmt.Sprintf("header %s has a line break", name))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return errors.New(strings.Join(problems, "; "))
}
