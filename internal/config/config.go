// Package config owns the portal's runtime configuration: one typed struct,
// loaded from environment variables with defaults that work on a developer's
// machine. It must not read files or hold secrets in code beyond the local
// development Meilisearch key, which production refuses to start with.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
)

// DevMeiliMasterKey is the master key make run gives the local Meilisearch.
// Production refuses to start with it.
const DevMeiliMasterKey = "portal-dev-master-key-0123456789"

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
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL", "info"))); err != nil {
		return cfg, fmt.Errorf("LOG_LEVEL: %w", err)
	}
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
	return errors.Join(errs...)
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
		{"LOG_LEVEL", c.LogLevel.String()},
	}
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
