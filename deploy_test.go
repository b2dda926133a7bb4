// Package portal_test checks the deployment files at the repository root: docker-compose.yml and the Dockerfile.
// There is no Docker engine on the project's machines, so they are validated by loading them, not by running them.
package portal_test

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// composeFile is the part of the compose file the tests read. Fields that compose accepts in two shapes
// (environment, ports, depends_on) are decoded as yaml.Node and normalised by the helpers below.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
}

type composeService struct {
	Image       string    `yaml:"image"`
	Build       yaml.Node `yaml:"build"`
	Command     yaml.Node `yaml:"command"`
	Environment yaml.Node `yaml:"environment"`
	Ports       yaml.Node `yaml:"ports"`
	DependsOn   yaml.Node `yaml:"depends_on"`
	Healthcheck yaml.Node `yaml:"healthcheck"`
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	raw, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatalf("read docker-compose.yml: %v", err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("parse docker-compose.yml: %v", err)
	}
	return c
}

func service(t *testing.T, c composeFile, name string) composeService {
	t.Helper()
	s, ok := c.Services[name]
	if !ok {
		t.Fatalf("docker-compose.yml has no service %q", name)
	}
	return s
}

// environment returns a service's environment whether written as a map or as a list of KEY=VALUE.
func environment(t *testing.T, s composeService) map[string]string {
	t.Helper()
	env := map[string]string{}
	switch s.Environment.Kind {
	case 0:
	case yaml.MappingNode:
		if err := s.Environment.Decode(&env); err != nil {
			t.Fatalf("decode environment: %v", err)
		}
	case yaml.SequenceNode:
		var list []string
		if err := s.Environment.Decode(&list); err != nil {
			t.Fatalf("decode environment: %v", err)
		}
		for _, kv := range list {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	default:
		t.Fatalf("environment is neither a map nor a list (line %d)", s.Environment.Line)
	}
	return env
}

// containerPorts returns the container side of every published port, from short ("8080:8080", "127.0.0.1:80:8080",
// 8080) or long ({target: 8080, published: ...}) syntax.
func containerPorts(t *testing.T, s composeService) []string {
	t.Helper()
	var ports []string
	for _, p := range s.Ports.Content {
		switch p.Kind {
		case yaml.ScalarNode:
			spec, _, _ := strings.Cut(p.Value, "/")
			parts := strings.Split(spec, ":")
			ports = append(ports, parts[len(parts)-1])
		case yaml.MappingNode:
			var long struct {
				Target any `yaml:"target"`
			}
			if err := p.Decode(&long); err != nil {
				t.Fatalf("decode port: %v", err)
			}
			ports = append(ports, fmt.Sprint(long.Target))
		}
	}
	return ports
}

// dependsOn returns each dependency's condition; the short list form has no conditions and fails the test.
func dependsOn(t *testing.T, s composeService) map[string]string {
	t.Helper()
	if s.DependsOn.Kind == yaml.SequenceNode {
		t.Fatalf("depends_on is a plain list (line %d); use the long form with a condition per service", s.DependsOn.Line)
	}
	var deps map[string]struct {
		Condition string `yaml:"condition"`
	}
	if err := s.DependsOn.Decode(&deps); err != nil {
		t.Fatalf("decode depends_on: %v", err)
	}
	conditions := map[string]string{}
	for name, d := range deps {
		conditions[name] = d.Condition
	}
	return conditions
}

func TestCompose_HasAppDatabaseSearchAndMigrateServices(t *testing.T) {
	c := loadCompose(t)
	for _, name := range []string{"app", "db", "meilisearch", "migrate"} {
		service(t, c, name)
	}
}

func TestCompose_MeilisearchIsTheEngineVersionUsedLocally(t *testing.T) {
	c := loadCompose(t)
	m := service(t, c, "meilisearch")
	if m.Image != "getmeili/meilisearch:v1.21.0" {
		t.Errorf("meilisearch image = %q, want getmeili/meilisearch:v1.21.0 (the version scripts/ensure-meili.sh installs)", m.Image)
	}
	env := environment(t, m)
	if env["MEILI_ENV"] != "production" {
		t.Errorf("meilisearch MEILI_ENV = %q, want production", env["MEILI_ENV"])
	}
	if env["MEILI_NO_ANALYTICS"] != "true" {
		t.Errorf("meilisearch MEILI_NO_ANALYTICS = %q, want true", env["MEILI_NO_ANALYTICS"])
	}
	if m.Healthcheck.Kind == 0 {
		t.Error("meilisearch has no healthcheck, so the app cannot wait for it")
	}
	if len(m.Ports.Content) > 0 {
		t.Error("meilisearch publishes ports to the host; only the app should reach it")
	}
}

func TestCompose_DatabaseIsPostgres15OrNewer(t *testing.T) {
	c := loadCompose(t)
	db := service(t, c, "db")
	m := regexp.MustCompile(`^(?:docker\.io/)?(?:library/)?postgres:(\d+)`).FindStringSubmatch(db.Image)
	if m == nil {
		t.Fatalf("db image = %q, want postgres:<major>", db.Image)
	}
	if major, _ := strconv.Atoi(m[1]); major < 15 {
		t.Errorf("db image = %q, want PostgreSQL 15 or newer", db.Image)
	}
	if db.Healthcheck.Kind == 0 {
		t.Error("db has no healthcheck, so the app and migrate cannot wait for it")
	}
	if len(db.Ports.Content) > 0 {
		t.Error("db publishes ports to the host; only the app should reach it")
	}
}

func TestCompose_AppPublishes8080AndIsConfiguredForProduction(t *testing.T) {
	c := loadCompose(t)
	app := service(t, c, "app")
	if ports := containerPorts(t, app); !contains(ports, "8080") {
		t.Errorf("app publishes container ports %v, want 8080", ports)
	}
	env := environment(t, app)
	for _, name := range []string{"DATABASE_URL", "MEILI_URL", "MEILI_MASTER_KEY", "PORTAL_BASE_URL"} {
		if env[name] == "" {
			t.Errorf("app environment has no %s", name)
		}
	}
	if env["PORTAL_ENV"] != "production" {
		t.Errorf("app PORTAL_ENV = %q, want production", env["PORTAL_ENV"])
	}
}

func TestCompose_AppWaitsForHealthyDependenciesAndMigration(t *testing.T) {
	c := loadCompose(t)
	want := map[string]string{
		"db":          "service_healthy",
		"meilisearch": "service_healthy",
		"migrate":     "service_completed_successfully",
	}
	got := dependsOn(t, service(t, c, "app"))
	for dep, condition := range want {
		if got[dep] != condition {
			t.Errorf("app depends_on %s with condition %q, want %q", dep, got[dep], condition)
		}
	}
	migrate := service(t, c, "migrate")
	if cmd := scalars(migrate.Command); len(cmd) != 1 || cmd[0] != "migrate" {
		t.Errorf("migrate command = %v, want [migrate]", cmd)
	}
	if got := dependsOn(t, migrate)["db"]; got != "service_healthy" {
		t.Errorf("migrate depends_on db with condition %q, want service_healthy", got)
	}
}

// The master key and database password are interpolated from the deployer's environment, never written down.
func TestCompose_SecretsComeFromVariables(t *testing.T) {
	c := loadCompose(t)
	variable := regexp.MustCompile(`^\$\{[A-Z_][A-Z0-9_]*(?::?[?-][^}]*)?\}$`)
	secrets := map[string][]string{
		"app":         {"MEILI_MASTER_KEY", "PORTAL_SECRET"},
		"migrate":     {"MEILI_MASTER_KEY", "PORTAL_SECRET"},
		"meilisearch": {"MEILI_MASTER_KEY"},
		"db":          {"POSTGRES_PASSWORD"},
	}
	for svc, names := range secrets {
		env := environment(t, service(t, c, svc))
		for _, name := range names {
			value := env[name]
			if !variable.MatchString(value) {
				t.Errorf("%s %s = %q, want a ${VARIABLE} reference", svc, name, value)
			}
			if strings.Contains(value, ":-") {
				t.Errorf("%s %s = %q has a default value; require it with ${%s:?message}", svc, name, value, name)
			}
		}
	}
	for _, svc := range []string{"app", "migrate"} {
		url := environment(t, service(t, c, svc))["DATABASE_URL"]
		m := regexp.MustCompile(`^postgres(?:ql)?://(?:\$\{[^}]*\}|[^:@/$]+):(\$\{[^}]*\}|[^@]*)@`).FindStringSubmatch(url)
		if m == nil || !variable.MatchString(m[1]) || strings.Contains(m[1], ":-") {
			t.Errorf("%s DATABASE_URL = %q, want its password given as a ${VARIABLE}", svc, url)
		}
	}
	raw, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "portal-dev-master-key") {
		t.Error("docker-compose.yml contains the development master key")
	}
}

func TestDockerfile_GoVersionMatchesGoMod(t *testing.T) {
	goMod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mod := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(goMod)
	if mod == nil {
		t.Fatal("go.mod has no go directive")
	}
	dockerfile, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	build := regexp.MustCompile(`(?mi)^FROM\s+(?:docker\.io/)?(?:library/)?golang:(\d+\.\d+)[^\s]*\s+AS\s+build\s*$`).FindSubmatch(dockerfile)
	if build == nil {
		t.Fatal("Dockerfile has no `FROM golang:<version> AS build` stage")
	}
	if string(build[1]) != string(mod[1]) {
		t.Errorf("Dockerfile builds with Go %s, go.mod says go %s", build[1], mod[1])
	}
}

func TestDockerfile_RunsAsNonRootOnPort8080(t *testing.T) {
	dockerfile, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(dockerfile)
	users := regexp.MustCompile(`(?mi)^USER\s+(\S+)`).FindAllStringSubmatch(text, -1)
	if len(users) == 0 {
		t.Error("Dockerfile sets no USER, so the app would run as root")
	} else if last := users[len(users)-1][1]; last == "root" || last == "0" || strings.HasPrefix(last, "0:") || strings.HasPrefix(last, "root:") {
		t.Errorf("Dockerfile's final USER is %s, want a non-root user", last)
	}
	if !regexp.MustCompile(`(?mi)^EXPOSE\s+8080\b`).MatchString(text) {
		t.Error("Dockerfile does not EXPOSE 8080")
	}
	if !regexp.MustCompile(`(?m)PORTAL_ADDR=0\.0\.0\.0:8080`).MatchString(text) {
		t.Error("Dockerfile does not set PORTAL_ADDR=0.0.0.0:8080, so the app would listen on loopback only")
	}
}

func scalars(n yaml.Node) []string {
	if n.Kind == yaml.ScalarNode {
		return strings.Fields(n.Value)
	}
	var out []string
	for _, c := range n.Content {
		out = append(out, c.Value)
	}
	return out
}

func contains(list []string, want string) bool {
	for _, v := range list {
		if v == want {
			return true
		}
	}
	return false
}
