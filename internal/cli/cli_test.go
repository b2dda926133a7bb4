package cli

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/regionalcareers/portal/internal/testenv"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRun_UnknownCommandExitsNonZeroWithOneLine(t *testing.T) {
	code, _, stderr := run(t, "fly")
	if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, `unknown command "fly"`) {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
}

func TestRun_EveryCommandHasHelp(t *testing.T) {
	for _, cmd := range commands() {
		code, _, stderr := run(t, cmd.name, "--help")
		if code != 0 || !strings.Contains(stderr, "Usage: portal "+cmd.name) {
			t.Errorf("%s --help: code %d, output %q", cmd.name, code, stderr)
		}
	}
	if code, stdout, _ := run(t, "--help"); code != 0 || !strings.Contains(stdout, "reindex") {
		t.Errorf("--help: code %d, output %q", code, stdout)
	}
}

func TestRun_BadConfigurationIsOneLineAndExit1(t *testing.T) {
	t.Setenv("PORTAL_ENV", "production")
	t.Setenv("MEILI_MASTER_KEY", "")
	code, _, stderr := run(t, "config")
	if code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "MEILI_MASTER_KEY") {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
}

func TestConfig_PrintsSettingsWithSecretsMasked(t *testing.T) {
	t.Setenv("MEILI_MASTER_KEY", "super-secret-master-key-123")
	t.Setenv("DATABASE_URL", "postgres://portal:hunter2hunter2@db:5432/portal")
	code, stdout, _ := run(t, "config")
	if code != 0 || strings.Contains(stdout, "super-secret") || strings.Contains(stdout, "hunter2") {
		t.Errorf("code %d, output leaks a secret:\n%s", code, stdout)
	}
	if !strings.Contains(stdout, "MEILI_URL") || !strings.Contains(stdout, "PORTAL_ADDR") {
		t.Errorf("output misses settings:\n%s", stdout)
	}
}

func TestSeed_NeedsExactlyOneMode(t *testing.T) {
	for _, args := range [][]string{{"seed"}, {"seed", "--demo", "--synthetic", "5"}, {"seed", "extra"}} {
		if code, _, _ := run(t, args...); code != 2 {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
}

func TestMigrate_CreatesTheDatabaseAndCanRunAgain(t *testing.T) {
	cfg := testenv.Config(t)
	u, err := url.Parse(cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/") + "_fresh"
	u.Path = "/postgres"
	admin := u.String()
	drop := func() {
		conn, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Fatal(err)
		}
	}
	drop()
	t.Cleanup(drop)
	u.Path = "/" + name
	t.Setenv("DATABASE_URL", u.String())
	code, stdout, stderr := run(t, "migrate")
	if code != 0 || !strings.Contains(stdout, "created the database") {
		t.Fatalf("first migrate: code %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "migrate")
	if code != 0 || strings.Contains(stdout, "created") || !strings.Contains(stdout, "up to date") {
		t.Errorf("second migrate: code %d\n%s%s", code, stdout, stderr)
	}
}

func TestMigrate_UnreachableDatabaseIsOneLine(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/portal?sslmode=disable&connect_timeout=2")
	code, _, stderr := run(t, "migrate")
	if code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
}
