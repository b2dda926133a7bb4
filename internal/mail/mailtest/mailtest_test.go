package mailtest

import (
	"net/smtp"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func send(t *testing.T, s *Server, to, subject string) {
	t.Helper()
	body := "From: tests@example.org\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nHello.\r\n"
	if err := smtp.SendMail("127.0.0.1:"+strconv.Itoa(s.SMTPPort), nil, "tests@example.org", []string{to}, []byte(body)); err != nil {
		t.Fatal(err)
	}
}

func TestStart_SharesOneMailpitPerPackage(t *testing.T) {
	if a, b := Start(t), Start(t); a != b {
		t.Errorf("two Mailpits: %s and %s", a.WebURL, b.WebURL)
	}
}

func TestServer_CountsWaitsAndDeletes(t *testing.T) {
	s := Start(t)
	s.DeleteAll(t)
	send(t, s, "first@example.org", "One")
	send(t, s, "second@example.org", "Two")
	send(t, s, "Second@Example.org", "Three")

	if got := s.WaitFor(t, "second@example.org", "Th"); got.Subject != "Three" || got.From != "tests@example.org" {
		t.Errorf("WaitFor got %q from %q, want Three from tests@example.org", got.Subject, got.From)
	}
	if n := s.Count(t, "second@example.org"); n != 2 {
		t.Errorf("count = %d, want 2 (addresses match whatever their case)", n)
	}
	var subjects []string
	for _, m := range s.Messages(t) {
		subjects = append(subjects, m.Subject)
	}
	if !slices.Equal(subjects, []string{"One", "Two", "Three"}) {
		t.Errorf("messages %q, want oldest first", subjects)
	}
	s.DeleteAll(t)
	if n := len(s.Messages(t)); n != 0 {
		t.Errorf("%d messages left after DeleteAll", n)
	}
}

func TestLinks_FindsURLsWithoutTrailingPunctuation(t *testing.T) {
	text := "Open https://careers.localhost/verify?token=abc.\n" +
		"Or (http://127.0.0.1:8080/sign-in), then <https://example.org/a#b>. Not ftp://example.org or careers.localhost."
	want := []string{"https://careers.localhost/verify?token=abc", "http://127.0.0.1:8080/sign-in", "https://example.org/a#b"}
	if got := Links(text); !slices.Equal(got, want) {
		t.Errorf("Links = %q, want %q", got, want)
	}
}

func TestBinary_MissingMailpitSaysHowToInstallIt(t *testing.T) {
	t.Setenv("MAILPIT_BIN", filepath.Join(t.TempDir(), "mailpit"))
	_, err := binary()
	if err == nil || !strings.Contains(err.Error(), "scripts/ensure-mailpit.sh") || strings.Contains(err.Error(), "\n") {
		t.Errorf("got %v, want one line pointing at scripts/ensure-mailpit.sh", err)
	}
}

func TestBinary_PrefersMAILPIT_BIN(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "mailpit")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MAILPIT_BIN", bin)
	if got, err := binary(); err != nil || got != bin {
		t.Errorf("binary() = %q, %v; want %s", got, err, bin)
	}
}
