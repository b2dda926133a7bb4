package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoad_DefaultsWorkLocally(t *testing.T) {
	cfg, err := Load(env(nil))
	if err != nil {
		t.Fatalf("defaults should be valid: %v", err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.MeiliURL != "http://127.0.0.1:7700" || cfg.Production() {
		t.Errorf("unexpected defaults: %+v", cfg)
	}
}

func TestLoad_ProductionRefusesDevelopmentKey(t *testing.T) {
	_, err := Load(env(map[string]string{"PORTAL_ENV": "production"}))
	if err == nil || !strings.Contains(err.Error(), "MEILI_MASTER_KEY") {
		t.Fatalf("want MEILI_MASTER_KEY error, got %v", err)
	}
}

func TestLoad_RejectsBadValues(t *testing.T) {
	for _, tc := range []struct{ key, value string }{
		{"PORTAL_ENV", "staging"},
		{"MEILI_URL", "not a url"},
		{"LOG_LEVEL", "loud"},
		{"MEILI_MASTER_KEY", "short"},
		{"SMTP_PORT", "0"},
		{"SMTP_PORT", "65536"},
		{"SMTP_PORT", "smtp"},
		{"SMTP_TLS", "ssl"},
		{"SMTP_HOST", "smtp.example.org:587"},
		{"MAIL_FROM", "no-reply"},
		{"MAIL_FROM", "Careers <no-reply@example.org"},
	} {
		if _, err := Load(env(map[string]string{tc.key: tc.value})); err == nil || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s=%q: want an error naming %s, got %v", tc.key, tc.value, tc.key, err)
		}
	}
}

func TestLoad_MailDefaultsReachTheLocalMailpit(t *testing.T) {
	cfg, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTPHost != "127.0.0.1" || cfg.SMTPPort != 1025 || cfg.SMTPTLS != SMTPTLSNone || cfg.SMTPUsername != "" {
		t.Errorf("SMTP defaults = %s:%d tls %s user %q, want 127.0.0.1:1025 tls none, no user",
			cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPTLS, cfg.SMTPUsername)
	}
	if cfg.MailFrom != DefaultMailFrom {
		t.Errorf("MailFrom = %q, want %q", cfg.MailFrom, DefaultMailFrom)
	}
}

func TestLoad_ProductionUsesSTARTTLSByDefault(t *testing.T) {
	cfg, err := Load(env(map[string]string{
		"PORTAL_ENV": "production", "MEILI_MASTER_KEY": "a-production-master-key", "SMTP_HOST": "smtp.example.org",
		"PORTAL_SECRET": productionSecret,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTPTLS != SMTPTLSStartTLS {
		t.Errorf("SMTPTLS = %q, want %q", cfg.SMTPTLS, SMTPTLSStartTLS)
	}
}

func TestLoad_ProductionAllowsPlainSMTPOnlyToThisMachine(t *testing.T) {
	for host, allowed := range map[string]bool{
		"127.0.0.1": true, "::1": true, "localhost": true, "smtp.example.org": false, "10.0.0.5": false,
	} {
		_, err := Load(env(map[string]string{
			"PORTAL_ENV": "production", "MEILI_MASTER_KEY": "a-production-master-key", "PORTAL_SECRET": productionSecret,
			"SMTP_HOST": host, "SMTP_TLS": "none",
		}))
		if allowed && err != nil {
			t.Errorf("SMTP_HOST=%s SMTP_TLS=none: want allowed, got %v", host, err)
		}
		if !allowed && (err == nil || !strings.Contains(err.Error(), "SMTP_TLS")) {
			t.Errorf("SMTP_HOST=%s SMTP_TLS=none: want an error naming SMTP_TLS, got %v", host, err)
		}
	}
}

func TestPrintable_MasksSecrets(t *testing.T) {
	cfg, _ := Load(env(map[string]string{
		"DATABASE_URL":     "postgres://app:s3cretpw@db:5432/portal",
		"MEILI_MASTER_KEY": "a-very-secret-master-key",
		"SMTP_PASSWORD":    "smtp-pa55word",
	}))
	for _, kv := range cfg.Printable() {
		if strings.Contains(kv[1], "s3cretpw") || strings.Contains(kv[1], "a-very-secret") || strings.Contains(kv[1], "pa55") {
			t.Errorf("%s leaks a secret: %s", kv[0], kv[1])
		}
	}
}

func TestPrintable_SaysOnlyWhetherTheSMTPPasswordIsSet(t *testing.T) {
	for password, want := range map[string]string{"": "(not set)", "smtp-pa55word": "(set)"} {
		cfg, err := Load(env(map[string]string{"SMTP_PASSWORD": password}))
		if err != nil {
			t.Fatal(err)
		}
		printed := map[string]string{}
		for _, kv := range cfg.Printable() {
			printed[kv[0]] = kv[1]
		}
		if printed["SMTP_PASSWORD"] != want {
			t.Errorf("password %q printed as %q, want %q", password, printed["SMTP_PASSWORD"], want)
		}
		for _, key := range []string{"SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_TLS", "MAIL_FROM"} {
			if _, ok := printed[key]; !ok {
				t.Errorf("portal config does not print %s", key)
			}
		}
	}
}

// productionSecret is a PORTAL_SECRET production accepts.
const productionSecret = "a-production-secret-of-at-least-32-bytes"

func TestLoad_PortalSecretIsRequiredInProductionAndLongEnough(t *testing.T) {
	prod := map[string]string{"PORTAL_ENV": "production", "MEILI_MASTER_KEY": "a-production-master-key", "SMTP_HOST": "smtp.example.org"}
	if _, err := Load(env(prod)); err == nil || !strings.Contains(err.Error(), "PORTAL_SECRET") {
		t.Errorf("production with the development secret: got %v, want an error naming PORTAL_SECRET", err)
	}
	prod["PORTAL_SECRET"] = productionSecret
	if _, err := Load(env(prod)); err != nil {
		t.Errorf("production with a real secret: %v", err)
	}
	if _, err := Load(env(map[string]string{"PORTAL_SECRET": "too-short"})); err == nil || !strings.Contains(err.Error(), "PORTAL_SECRET") {
		t.Errorf("a short secret: got %v, want an error naming PORTAL_SECRET", err)
	}
	cfg, _ := Load(env(map[string]string{"PORTAL_SECRET": productionSecret}))
	for _, kv := range cfg.Printable() {
		if strings.Contains(kv[1], "a-production-secret") {
			t.Errorf("%s leaks the secret: %s", kv[0], kv[1])
		}
	}
}
