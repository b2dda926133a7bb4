// Package testenv gives each test package its own real PostgreSQL database
// and Meilisearch index prefix. It must only be imported from tests.
package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/db"
)

var (
	once    sync.Once
	cfg     config.Config
	pool    *pgxpool.Pool
	initErr error
)

// Config returns the configuration for this test package: a freshly
// migrated database of its own and an index prefix of its own, on the
// PostgreSQL and Meilisearch that make test starts.
func Config(t testing.TB) config.Config {
	t.Helper()
	once.Do(setUp)
	if initErr != nil {
		t.Fatalf("test environment: %v", initErr)
	}
	return cfg
}

// ConfigForTest is Config with an index prefix of the test's own, so tests
// of one package never see each other's search documents.
func ConfigForTest(t testing.TB) config.Config {
	t.Helper()
	c := Config(t)
	c.IndexPrefix += strings.Trim(notIndexName.ReplaceAllString(strings.ToLower(t.Name()), "_"), "_") + "_"
	return c
}

var notIndexName = regexp.MustCompile(`[^a-z0-9]+`)

// Pool returns a connection pool to this test package's database.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	Config(t)
	return pool
}

// Truncate empties the portal's tables and River's jobs, so a test starts
// from nothing.
func Truncate(t testing.TB) {
	t.Helper()
	_, err := Pool(t).Exec(context.Background(),
		`TRUNCATE vacancy_locations, vacancies, partners, users, audit_log, rate_limits, pages, media, campaign_events, river_job RESTART IDENTITY CASCADE`)
	if err != nil {
		t.Fatalf("truncate: %v", err)
	}
}

func setUp() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := packageName()
	base := getenv("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	u, err := url.Parse(base)
	if err != nil {
		initErr = fmt.Errorf("TEST_DATABASE_URL: %w", err)
		return
	}
	if err := recreate(ctx, u.String(), name); err != nil {
		initErr = err
		return
	}
	u.Path = "/" + name
	env := map[string]string{
		"DATABASE_URL":     u.String(),
		"MEILI_URL":        os.Getenv("MEILI_URL"),
		"MEILI_MASTER_KEY": os.Getenv("MEILI_MASTER_KEY"),
		// A run id in the prefix keeps indexes from an earlier run of the
		// same package (on a long-lived Meilisearch) out of this one.
		"MEILI_INDEX_PREFIX": strings.TrimPrefix(name, "portal_") + "_" + strconv.FormatInt(time.Now().UnixMilli()%1e8, 36) + "_",
		"LOG_LEVEL":          "warn",
	}
	if cfg, initErr = config.Load(func(k string) string { return env[k] }); initErr != nil {
		return
	}
	if pool, initErr = db.Open(ctx, cfg.DatabaseURL); initErr != nil {
		return
	}
	if initErr = db.Migrate(ctx, pool); initErr != nil {
		return
	}
	if initErr = checkMeilisearch(cfg.MeiliURL); initErr == nil {
		dropOldIndexes(ctx, cfg, strings.TrimPrefix(name, "portal_")+"_")
	}
}

// dropOldIndexes deletes indexes that earlier runs of this test package
// left on the server, so a developer's Meilisearch does not fill up.
func dropOldIndexes(ctx context.Context, c config.Config, packagePrefix string) {
	var list struct {
		Results []struct {
			UID string `json:"uid"`
		} `json:"results"`
	}
	if err := meiliRequest(ctx, c, http.MethodGet, "/indexes?limit=1000", &list); err != nil {
		return
	}
	for _, idx := range list.Results {
		if strings.HasPrefix(idx.UID, packagePrefix) && !strings.HasPrefix(idx.UID, c.IndexPrefix) {
			_ = meiliRequest(ctx, c, http.MethodDelete, "/indexes/"+idx.UID, nil)
		}
	}
}

func meiliRequest(ctx context.Context, c config.Config, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.MeiliURL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.MeiliMasterKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func recreate(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL (is it running? make test starts it): %w", err)
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop %s: %w", name, err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	return nil
}

func checkMeilisearch(meiliURL string) error {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(meiliURL + "/health")
	if err != nil {
		return fmt.Errorf("Meilisearch is not reachable at %s (run the tests with make test): %w", meiliURL, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("Meilisearch at %s answered /health with %s", meiliURL, resp.Status)
	}
	return nil
}

var notIdent = regexp.MustCompile(`[^a-z0-9]+`)

// packageName derives a database name from the test binary's package
// directory, so parallel test packages never share a database.
func packageName() string {
	wd, _ := os.Getwd()
	rel := wd
	for dir := wd; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, _ = filepath.Rel(dir, wd)
			break
		}
	}
	slug := strings.Trim(notIdent.ReplaceAllString(strings.ToLower(rel), "_"), "_")
	if slug == "" {
		slug = "root"
	}
	// TEST_DATABASE_PREFIX lets two checkouts test at once on one server.
	return getenv("TEST_DATABASE_PREFIX", "portal_test_") + slug
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
