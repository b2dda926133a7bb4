// Package config owns the portal's runtime configuration: one typed struct,
// loaded from environment variables with defaults that work on a developer's
// machine. It must not read files or hold secrets in code beyond the local
// development Meilisearch key, which production refuses to start with.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// DevMeiliMasterKey is the master key make run gives the local Meilisearch.
// Production refuses to start with it.
const DevMeiliMasterKey = "portal-dev-master-key-0123456789"

// DevSecret is PORTAL_SECRET on a developer's machine. Production refuses
// to start with it.
const DevSecret = "portal-dev-secret-not-for-production-0123456789"

// DefaultMailFrom is the sender when MAIL_FROM is unset: the portal's name at
// an address that only exists on a developer's machine.
const DefaultMailFrom = "Cambridgeshire & Peterborough Health and Care Careers <no-reply@careers.localhost>"

// The values SMTP_TLS takes.
const (
	SMTPTLSNone     = "none"     // plain SMTP: only for a relay on this machine (or Mailpit)
	SMTPTLSStartTLS = "starttls" // connect in plain text, then upgrade; refuses a server without STARTTLS
	SMTPTLSImplicit = "tls"      // TLS from the first byte, usually port 465
)

// Config is everything the binary needs to run. It is passed explicitly,
// never kept in a global.
type Config struct {
	Env            string // "development" or "production"
	Addr           string // listen address, e.g. 127.0.0.1:8080
	BaseURL        string // absolute URL the site is reached at, no trailing slash
	DatabaseURL    string
	MeiliURL       string
	MeiliMasterKey string
	IndexPrefix    string // prepended to index names; tests use their own
	LogLevel       slog.Level
	// Secret (PORTAL_SECRET, at least 32 bytes) signs the links in job
	// alert e-mails; changing it ends every alert link already sent.
	Secret string

	// Outgoing mail. The defaults reach the Mailpit that make run starts.
	SMTPHost     string
	SMTPPort     int
	SMTPUsername string // empty: no SMTP AUTH
	SMTPPassword string
	SMTPTLS      string // SMTPTLSNone, SMTPTLSStartTLS or SMTPTLSImplicit
	MailFrom     string // RFC 5322 address, e.g. "Name <no-reply@example.org>"

	// Signed-in sessions end after SessionIdle without use, and after
	// SessionMaxAge however busy.
	SessionIdle   time.Duration
	SessionMaxAge time.Duration

	// RetentionDays is how long after its vacancy closes an application
	// keeps the applicant's personal data.
	RetentionDays int
}

// Production reports whether the portal runs in production mode (secure
// cookies, no development defaults).
func (c Config) Production() bool { return c.Env == "production" }

// Load reads the environment (through getenv, so tests can pass a map) and
// validates the result.
func Load(getenv func(string) string) (Config, error) {
	get := func(key, fallback string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return fallback
	}
	cfg := Config{
		Env:            get("PORTAL_ENV", "development"),
		Addr:           get("PORTAL_ADDR", "127.0.0.1:8080"),
		BaseURL:        strings.TrimRight(get("PORTAL_BASE_URL", "http://127.0.0.1:8080"), "/"),
		DatabaseURL:    get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal?sslmode=disable"),
		MeiliURL:       strings.TrimRight(get("MEILI_URL", "http://127.0.0.1:7700"), "/"),
		MeiliMasterKey: get("MEILI_MASTER_KEY", DevMeiliMasterKey),
		IndexPrefix:    get("MEILI_INDEX_PREFIX", ""),
		Secret:         get("PORTAL_SECRET", DevSecret),
		SMTPHost:       get("SMTP_HOST", "127.0.0.1"),
		SMTPUsername:   get("SMTP_USERNAME", ""),
		// Not trimmed: a password may end in a space.
		SMTPPassword: getenv("SMTP_PASSWORD"),
		MailFrom:     get("MAIL_FROM", DefaultMailFrom),
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL", "info"))); err != nil {
		return cfg, fmt.Errorf("LOG_LEVEL: %w", err)
	}
	port, err := strconv.Atoi(get("SMTP_PORT", "1025"))
	if err != nil || port < 1 || port > 65535 {
		return cfg, fmt.Errorf("SMTP_PORT must be a port number from 1 to 65535, not %q", getenv("SMTP_PORT"))
	}
	cfg.SMTPPort = port
	// Production mail crosses the network, so it is encrypted unless asked otherwise.
	defaultTLS := SMTPTLSNone
	if cfg.Production() {
		defaultTLS = SMTPTLSStartTLS
	}
	cfg.SMTPTLS = strings.ToLower(get("SMTP_TLS", defaultTLS))
	for _, d := range []struct {
		key, fallback string
		into          *time.Duration
	}{{"SESSION_IDLE_TIMEOUT", "2h", &cfg.SessionIdle}, {"SESSION_MAX_AGE", "24h", &cfg.SessionMaxAge}} {
		v, err := time.ParseDuration(get(d.key, d.fallback))
		if err != nil || v < time.Minute {
			return cfg, fmt.Errorf("%s must be a duration of at least a minute, like 30m or 8h, not %q", d.key, getenv(d.key))
		}
		*d.into = v
	}
	days, err := strconv.Atoi(get("APPLICATION_RETENTION_DAYS", "460"))
	if err != nil || days < 30 {
		return cfg, fmt.Errorf("APPLICATION_RETENTION_DAYS must be a whole number of days, at least 30, not %q", getenv("APPLICATION_RETENTION_DAYS"))
	}
	cfg.RetentionDays = days
	return cfg, cfg.validate()
}

// FromEnv loads the configuration from the process environment.
func FromEnv() (Config, error) { return Load(os.Getenv) }

func (c Config) validate() error {
	var errs []error
	if c.Env != "development" && c.Env != "production" {
		errs = append(errs, fmt.Errorf("PORTAL_ENV must be development or production, not %q", c.Env))
	}
	for name, raw := range map[string]string{"PORTAL_BASE_URL": c.BaseURL, "MEILI_URL": c.MeiliURL, "DATABASE_URL": c.DatabaseURL} {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "" || u.Host == "" {
			errs = append(errs, fmt.Errorf("%s is not an absolute URL: %q", name, raw))
		}
	}
	if c.Production() && c.MeiliMasterKey == DevMeiliMasterKey {
		errs = append(errs, errors.New("MEILI_MASTER_KEY must be set in production"))
	}
	if len(c.MeiliMasterKey) < 16 {
		errs = append(errs, errors.New("MEILI_MASTER_KEY must be at least 16 bytes"))
	}
	if c.Production() && c.Secret == DevSecret {
		errs = append(errs, errors.New("PORTAL_SECRET must be set in production (at least 32 random bytes, e.g. openssl rand -base64 48)"))
	}
	if len(c.Secret) < 32 {
		errs = append(errs, errors.New("PORTAL_SECRET must be at least 32 bytes"))
	}
	errs = append(errs, c.validateMail()...)
	return errors.Join(errs...)
}

func (c Config) validateMail() []error {
	var errs []error
	switch c.SMTPTLS {
	case SMTPTLSNone, SMTPTLSStartTLS, SMTPTLSImplicit:
	default:
		errs = append(errs, fmt.Errorf("SMTP_TLS must be none, starttls or tls, not %q", c.SMTPTLS))
	}
	if c.Production() && c.SMTPTLS == SMTPTLSNone && !isLoopback(c.SMTPHost) {
		errs = append(errs, fmt.Errorf("SMTP_TLS=none sends mail and passwords in clear text; production allows it only for a relay on this machine, not %q", c.SMTPHost))
	}
	// A port in SMTP_HOST is an easy slip; an IPv6 address is the only host with a colon.
	if strings.ContainsAny(c.SMTPHost, " /") || strings.Contains(c.SMTPHost, ":") && net.ParseIP(c.SMTPHost) == nil {
		errs = append(errs, fmt.Errorf("SMTP_HOST must be a host name or IP address without a port, not %q", c.SMTPHost))
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		errs = append(errs, fmt.Errorf("MAIL_FROM is not an e-mail address (%q): %w", c.MailFrom, err))
	}
	return errs
}

// isLoopback reports whether host names this machine, where SMTP traffic
// never crosses a network.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Printable lists the effective settings with secrets masked, for
// `portal config`.
func (c Config) Printable() [][2]string {
	return [][2]string{
		{"PORTAL_ENV", c.Env},
		{"PORTAL_ADDR", c.Addr},
		{"PORTAL_BASE_URL", c.BaseURL},
		{"DATABASE_URL", maskURL(c.DatabaseURL)},
		{"MEILI_URL", c.MeiliURL},
		{"MEILI_MASTER_KEY", mask(c.MeiliMasterKey)},
		{"MEILI_INDEX_PREFIX", c.IndexPrefix},
		{"PORTAL_SECRET", mask(c.Secret)},
		{"LOG_LEVEL", c.LogLevel.String()},
		{"SMTP_HOST", c.SMTPHost},
		{"SMTP_PORT", strconv.Itoa(c.SMTPPort)},
		{"SMTP_USERNAME", c.SMTPUsername},
		{"SMTP_PASSWORD", setOrNot(c.SMTPPassword)},
		{"SMTP_TLS", c.SMTPTLS},
		{"MAIL_FROM", c.MailFrom},
		{"SESSION_IDLE_TIMEOUT", c.SessionIdle.String()},
		{"SESSION_MAX_AGE", c.SessionMaxAge.String()},
		{"APPLICATION_RETENTION_DAYS", strconv.Itoa(c.RetentionDays)},
	}
}

// setOrNot reports whether a secret is there without hinting at its length.
func setOrNot(secret string) string {
	if secret == "" {
		return "(not set)"
	}
	return "(set)"
}

func mask(secret string) string {
	if secret == "" {
		return "(unset)"
	}
	return "****** (" + fmt.Sprint(len(secret)) + " characters)"
}

func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "******")
	}
	return u.Redacted()
}
