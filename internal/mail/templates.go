package mail

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"
	"time"
	_ "time/tzdata" // Europe/London must load on machines without zoneinfo
)

//go:embed templates/*.txt
var templateFiles embed.FS

// templates are parsed once, when the binary starts, so a broken template
// stops start-up rather than a message. missingkey=error makes a template
// given a map without one of its keys fail instead of printing "<no value>".
var templates = template.Must(template.New("").
	Option("missingkey=error").
	Funcs(template.FuncMap{"plural": plural, "dateTime": dateTime}).
	ParseFS(templateFiles, "templates/*.txt"))

// Render fills in templates/NAME.txt, whose first line is the subject, then a
// blank line, then the body. data is a struct or map with the template's
// fields:
//
//	verify-email        Name, Link, Hours (int)
//	reset-password      Name, Link, Minutes (int)
//	account-exists      Name, SignInLink, ResetLink
//	password-changed    Name, When (time.Time), ResetLink
//	invitation          PartnerName, InviterName, Role ("recruiter" or "partner admin"), Link, Days (int)
//	two-factor-changed  Name, Enabled (bool), When (time.Time)
//	application-received  Name, Role, Employer, Link
//	application-status  Name, Role, Employer, Status (in words), Note (may be empty), Link
//	alert-confirm       Description, Frequency, Link, ManageLink, Confirmed (bool)
//	alert-digest        Count (int), Description, Roles ([]{Title, Employer, Place, Pay, Closing, Link}),
//	                    Frequency, SearchLink, ManageLink, UnsubscribeLink
//
// Name may be empty; the greeting then has no name.
func Render(name string, data any) (subject, text string, err error) {
	t := templates.Lookup(name + ".txt")
	if t == nil {
		return "", "", fmt.Errorf("render mail %q: no such template", name)
	}
	var out bytes.Buffer
	if err := t.Execute(&out, data); err != nil {
		return "", "", fmt.Errorf("render mail %q: %w", name, err)
	}
	subject, body, ok := strings.Cut(out.String(), "\n\n")
	subject = strings.TrimSpace(subject)
	if !ok || subject == "" || strings.Contains(subject, "\n") {
		return "", "", fmt.Errorf("render mail %q: want a one-line subject, a blank line, then the body", name)
	}
	return subject, strings.TrimSpace(body) + "\n", nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ukTime is the clock the people the portal writes to read.
var ukTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil { // cannot happen with tzdata embedded
		return time.UTC
	}
	return loc
}()

// dateTime writes t as people in the UK say it: "3 March 2026 at 14:05".
func dateTime(t time.Time) string {
	return t.In(ukTime).Format("2 January 2006 at 15:04")
}
