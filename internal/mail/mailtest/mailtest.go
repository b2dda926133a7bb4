// Package mailtest runs a real Mailpit for a test package and reads back the
// mail the portal sent to it. Only tests may import it.
//
// One Mailpit serves the whole test package: it starts on the first Start and
// stops when the test binary exits. Tests therefore share a mailbox, so each
// should send to addresses of its own and find its mail with WaitFor and Count
// rather than by counting everything.
package mailtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/config"
)

const (
	startTimeout = 15 * time.Second
	waitTimeout  = 10 * time.Second // how long WaitFor waits for a message
	pollInterval = 50 * time.Millisecond
)

// Server is a running Mailpit.
type Server struct {
	SMTPPort int
	WebURL   string // web UI and API, e.g. http://127.0.0.1:40123
	client   *http.Client
}

// Received is a message as Mailpit stored it. To and From hold bare
// addresses; the display names are in Headers, whose keys are canonical
// ("List-Unsubscribe", "Message-Id").
type Received struct {
	ID      string
	To      []string
	From    string
	Subject string
	Text    string
	HTML    string
	Headers map[string][]string
}

var (
	once     sync.Once
	shared   *Server
	startErr error
)

// Start returns this test package's Mailpit, starting it on first use.
func Start(t testing.TB) *Server {
	t.Helper()
	once.Do(func() { shared, startErr = start() })
	if startErr != nil {
		t.Fatalf("mailtest: %v", startErr)
	}
	return shared
}

// Configure points cfg's outgoing mail at this Mailpit.
func (s *Server) Configure(cfg config.Config) config.Config {
	cfg.SMTPHost = "127.0.0.1"
	cfg.SMTPPort = s.SMTPPort
	cfg.SMTPTLS = config.SMTPTLSNone
	// Mailpit offers no SMTP AUTH unless told to, and a client with a
	// username insists on it.
	cfg.SMTPUsername, cfg.SMTPPassword = "", ""
	return cfg
}

// Messages returns every message in the mailbox, oldest first.
func (s *Server) Messages(t testing.TB) []Received {
	t.Helper()
	summaries := s.summaries(t)
	messages := make([]Received, len(summaries))
	for i, m := range summaries {
		messages[i] = s.message(t, m.ID)
	}
	return messages
}

// WaitFor waits up to ten seconds for mail to the bare address to with a
// subject containing subjectContains, and returns the latest such message.
// When none comes it fails the test, listing the mail that did arrive.
func (s *Server) WaitFor(t testing.TB, to, subjectContains string) Received {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		summaries := s.summaries(t)
		for _, m := range slices.Backward(summaries) {
			if m.sentTo(to) && strings.Contains(m.Subject, subjectContains) {
				return s.message(t, m.ID)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailtest: no mail to %s with a subject containing %q within %s; mail that did arrive:%s",
				to, subjectContains, waitTimeout, describe(summaries))
		}
		time.Sleep(pollInterval)
	}
}

// Count returns how many messages in the mailbox are addressed to the
// address.
func (s *Server) Count(t testing.TB, to string) int {
	t.Helper()
	n := 0
	for _, m := range s.summaries(t) {
		if m.sentTo(to) {
			n++
		}
	}
	return n
}

// DeleteAll empties the mailbox. The mailbox is shared by the package's
// tests, so parallel tests must not use it.
func (s *Server) DeleteAll(t testing.TB) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, s.WebURL+"/api/v1/messages", nil)
	if err != nil {
		t.Fatalf("mailtest: delete all: %v", err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("mailtest: delete all: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		t.Fatalf("mailtest: delete all: %s: %s", resp.Status, body)
	}
}

var link = regexp.MustCompile(`https?://[^\s<>"']+`)

// Links returns the http and https URLs in a message body, in order, without
// the punctuation that ends a sentence after one.
func Links(text string) []string {
	var links []string
	for _, l := range link.FindAllString(text, -1) {
		links = append(links, strings.TrimRight(l, ".,;:!?)"))
	}
	return links
}

// address is how Mailpit's API writes an e-mail address.
type address struct{ Name, Address string }

type summary struct {
	ID      string
	To      []address
	Subject string
}

func (m summary) sentTo(to string) bool {
	return slices.ContainsFunc(m.To, func(a address) bool { return strings.EqualFold(a.Address, to) })
}

// describe lists the latest messages for a failure message, one a line.
func describe(summaries []summary) string {
	if len(summaries) == 0 {
		return " none"
	}
	const shown = 20
	var b strings.Builder
	if len(summaries) > shown {
		fmt.Fprintf(&b, " (the latest %d of %d)", shown, len(summaries))
	}
	for _, m := range summaries[max(0, len(summaries)-shown):] {
		to := make([]string, len(m.To))
		for i, a := range m.To {
			to[i] = a.Address
		}
		fmt.Fprintf(&b, "\n\tto %s: %q", strings.Join(to, ", "), m.Subject)
	}
	return b.String()
}

// summaries lists the mailbox, oldest first.
func (s *Server) summaries(t testing.TB) []summary {
	t.Helper()
	const pageSize = 250
	var all []summary
	for start := 0; ; start += pageSize {
		var page struct {
			Messages []summary `json:"messages"`
		}
		s.get(t, "/api/v1/messages?"+url.Values{
			"start": {strconv.Itoa(start)}, "limit": {strconv.Itoa(pageSize)},
		}.Encode(), &page)
		all = append(all, page.Messages...)
		if len(page.Messages) < pageSize {
			break
		}
	}
	slices.Reverse(all) // the API lists newest first
	return all
}

func (s *Server) message(t testing.TB, id string) Received {
	t.Helper()
	var m struct {
		ID         string
		From       address
		To         []address
		Subject    string
		Text, HTML string
	}
	s.get(t, "/api/v1/message/"+url.PathEscape(id), &m)
	r := Received{ID: m.ID, From: m.From.Address, Subject: m.Subject, Text: m.Text, HTML: m.HTML}
	for _, a := range m.To {
		r.To = append(r.To, a.Address)
	}
	s.get(t, "/api/v1/message/"+url.PathEscape(id)+"/headers", &r.Headers)
	return r
}

func (s *Server) get(t testing.TB, path string, into any) {
	t.Helper()
	resp, err := s.client.Get(s.WebURL + path)
	if err != nil {
		t.Fatalf("mailtest: GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("mailtest: GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailtest: GET %s: %s: %s", path, resp.Status, bytes.TrimSpace(body))
	}
	if err := json.Unmarshal(body, into); err != nil {
		t.Fatalf("mailtest: GET %s: %v", path, err)
	}
}

func start() (*Server, error) {
	bin, err := binary()
	if err != nil {
		return nil, err
	}
	// A free port found here can be taken before Mailpit binds it; another
	// pair of ports makes that race harmless.
	for attempt := 1; ; attempt++ {
		s, err := launch(bin)
		if err == nil || attempt == 3 {
			return s, err
		}
	}
}

// binary finds Mailpit: MAILPIT_BIN, else the copy scripts/ensure-mailpit.sh
// installs under the repository's .cache/bin, else one on PATH.
func binary() (string, error) {
	if bin := os.Getenv("MAILPIT_BIN"); bin != "" {
		if _, err := exec.LookPath(bin); err != nil {
			return "", fmt.Errorf("MAILPIT_BIN=%s is not an executable (%v); run `bash scripts/ensure-mailpit.sh`", bin, err)
		}
		return bin, nil
	}
	if root, err := repoRoot(); err == nil {
		bin := filepath.Join(root, ".cache", "bin", "mailpit")
		if _, err := exec.LookPath(bin); err == nil {
			return bin, nil
		}
	}
	if bin, err := exec.LookPath("mailpit"); err == nil {
		return bin, nil
	}
	return "", errors.New("mailpit not found (no MAILPIT_BIN, no .cache/bin/mailpit, none on PATH); run `bash scripts/ensure-mailpit.sh`")
}

// repoRoot walks up from the test's working directory (its package's
// directory) to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

func launch(bin string) (*Server, error) {
	smtpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{
		SMTPPort: smtpPort,
		WebURL:   "http://127.0.0.1:" + strconv.Itoa(httpPort),
		client:   &http.Client{Timeout: 5 * time.Second},
	}
	// Mailpit writes its output to a file rather than a pipe: once the test
	// binary has gone, a write to a pipe would kill Mailpit before it deletes
	// its database. The file is unlinked at once and lives while it is open.
	output, err := os.CreateTemp("", "mailpit-*.log")
	if err != nil {
		return nil, fmt.Errorf("create a log file for mailpit: %w", err)
	}
	_ = os.Remove(output.Name())

	cmd := exec.Command(bin,
		"--smtp", "127.0.0.1:"+strconv.Itoa(smtpPort),
		"--listen", "127.0.0.1:"+strconv.Itoa(httpPort),
		// No --database: Mailpit then keeps mail in a temporary file of its
		// own and deletes it when it stops.
		"--max", "0", // never prune: a package's tests may send more than the default 500
		"--disable-version-check", // no calls to GitHub
		"--smtp-disable-rdns",     // no DNS lookups of 127.0.0.1
		"--quiet",
	)
	cmd.Stdout, cmd.Stderr = output, output
	stopWithTestBinary(cmd)

	started := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		// The kernel signals a child whose parent *thread* ends, and Go ends
		// threads when a goroutine locked to one returns (golang/go#27505).
		// Keeping this thread locked until Mailpit exits means no goroutine
		// elsewhere in the test can end it early.
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
		close(exited)
	}()
	if err := <-started; err != nil {
		output.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}

	deadline := time.Now().Add(startTimeout)
	for !s.ready() {
		select {
		case <-exited:
			defer output.Close()
			return nil, fmt.Errorf("%s exited during start-up: %s", bin, tail(output))
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			defer output.Close()
			return nil, fmt.Errorf("%s did not answer on %s within %s: %s", bin, s.WebURL, startTimeout, tail(output))
		}
		time.Sleep(20 * time.Millisecond)
	}
	output.Close() // Mailpit holds its own descriptor
	return s, nil
}

// ready reports whether both the API and the SMTP port answer: Mailpit opens
// them one after the other.
func (s *Server) ready() bool {
	resp, err := s.client.Get(s.WebURL + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(s.SMTPPort), time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tail returns the last lines of Mailpit's output on one line, for an error.
// It reads with ReadAt because Mailpit shares the file's offset.
func tail(f *os.File) string {
	info, err := f.Stat()
	if err != nil {
		return "(no output: " + err.Error() + ")"
	}
	out, _ := io.ReadAll(io.NewSectionReader(f, 0, info.Size()))
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if last := strings.Join(lines[max(0, len(lines)-5):], " | "); last != "" {
		return last
	}
	return "(no output)"
}
