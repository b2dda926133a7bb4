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
	for key, value := range map[string]string{
		"PORTAL_ENV": "staging", "MEILI_URL": "not a url", "LOG_LEVEL": "loud", "MEILI_MASTER_KEY": "short",
	} {
		if _, err := Load(env(map[string]string{key: value})); err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%q: want an error naming %s, got %v", key, value, key, err)
		}
	}
}

func TestPrintable_MasksSecrets(t *testing.T) {
	cfg, _ := Load(env(map[string]string{
		"DATABASE_URL":     "postgres://app:s3cretpw@db:5432/portal",
		"MEILI_MASTER_KEY": "a-very-secret-master-key",
	}))
	for _, kv := range cfg.Printable() {
		if strings.Contains(kv[1], "s3cretpw") || strings.Contains(kv[1], "a-very-secret") {
			t.Errorf("%s leaks a secret: %s", kv[0], kv[1])
		}
	}
}
