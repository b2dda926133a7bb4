package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/testenv"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// useTestDatabase points the commands at this package's test database.
func useTestDatabase(t *testing.T) {
	t.Helper()
	cfg := testenv.Config(t)
	vt.Stores(t) // empty tables
	t.Setenv("DATABASE_URL", cfg.DatabaseURL)
}

func TestPartnersAndFeeds_FromANewInstallToImportedRoles(t *testing.T) {
	useTestDatabase(t)
	code, stdout, stderr := run(t, "partners", "add", "--name", "Fen Valley Hospitals NHS Trust", "--type", "nhs-trust")
	if code != 0 || !strings.Contains(stdout, "fen-valley-hospitals-nhs-trust") {
		t.Fatalf("partners add: %d %s%s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "partners", "list"); code != 0 || !strings.Contains(stdout, "fen-valley-hospitals-nhs-trust") {
		t.Errorf("partners list: %d %s", code, stdout)
	}

	dir := t.TempDir()
	feedPath := filepath.Join(dir, "jobs.csv")
	closing := vt.Today.AddDate(0, 0, 14).Format("02/01/2006")
	csv := "Ref,Job Title,Advert,Town,Pay,Closes,Link\n" +
		"W1,Ward Clerk,Keeping our busy surgical ward running smoothly.,Huntingdon,Band 3," + closing + ",https://fv.example/W1\n" +
		"W2,,No title on this one at all so it is rejected.,Huntingdon,Band 3," + closing + ",https://fv.example/W2\n"
	mapping := "fields:\n  reference: Ref\n  title: Job Title\n  description: Advert\n  town: Town\n  salary: Pay\n" +
		"  closing: Closes\n  url: Link\ndefaults:\n  staff_group: admin-clerical\n"
	if err := os.WriteFile(feedPath, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	mappingPath := filepath.Join(dir, "mapping.yaml")
	if err := os.WriteFile(mappingPath, []byte(mapping), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = run(t, "feeds", "add", "--partner", "fen-valley-hospitals-nhs-trust", "--format", "csv",
		"--url", "file://"+feedPath, "--mapping", mappingPath, "--every", "30m")
	id := strings.TrimSpace(stdout)
	if code != 0 || id == "" {
		t.Fatalf("feeds add: %d %q %s", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "feeds", "run", id)
	if code != 0 || !strings.Contains(stdout, "succeeded") || !strings.Contains(stdout, "1 new") || !strings.Contains(stdout, "1 rejected") {
		t.Fatalf("feeds run: %d %s%s", code, stdout, stderr)
	}
	code, stdout, _ = run(t, "feeds", "show", id)
	if code != 0 || !strings.Contains(stdout, "item 2 W2") || !strings.Contains(stdout, "title") {
		t.Errorf("feeds show: %d %s", code, stdout)
	}
	if code, stdout, _ := run(t, "feeds", "list"); code != 0 || !strings.Contains(stdout, "succeeded") {
		t.Errorf("feeds list: %d %s", code, stdout)
	}
	time.Sleep(10 * time.Millisecond)
	if code, stdout, _ := run(t, "feeds", "remove", id); code != 0 || !strings.Contains(stdout, "closed 1") {
		t.Errorf("feeds remove: %d %s", code, stdout)
	}
}

func TestFeeds_BadInputIsOneLineAndNonZero(t *testing.T) {
	useTestDatabase(t)
	run(t, "partners", "add", "--name", "Willow Care", "--type", "care-provider")
	for name, args := range map[string][]string{
		"unknown partner":   {"feeds", "add", "--partner", "nobody", "--format", "indeed", "--url", "https://x.example/f.xml"},
		"unknown format":    {"feeds", "add", "--partner", "willow-care", "--format", "rss", "--url", "https://x.example/f.xml"},
		"bad url":           {"feeds", "add", "--partner", "willow-care", "--format", "indeed", "--url", "ftp://x.example/f.xml"},
		"csv needs mapping": {"feeds", "add", "--partner", "willow-care", "--format", "csv", "--url", "https://x.example/f.csv"},
		"missing mapping":   {"feeds", "add", "--partner", "willow-care", "--format", "csv", "--url", "https://x.example/f.csv", "--mapping", "/nope.yaml"},
		"unknown feed":      {"feeds", "run", "999999"},
		"not an id":         {"feeds", "show", "abc"},
		"unknown type":      {"partners", "add", "--name", "X Ltd", "--type", "spaceship"},
		"unknown command":   {"feeds", "fly"},
	} {
		code, _, stderr := run(t, args...)
		if code == 0 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || strings.TrimSpace(stderr) == "" {
			t.Errorf("%s: code %d, stderr %q, want non-zero with one line", name, code, stderr)
		}
	}
}
