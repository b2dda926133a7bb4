package static

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"testing"
)

// The committed static/vendor/nhsuk/ must be exactly what scripts/build-assets.sh makes from the pinned npm
// package. Without node_modules there is nothing to compare with, so the test skips locally but fails in CI
// (CI=true), where .ci/run must install the npm packages first.
func TestVendorCopyMatchesNpmPackage(t *testing.T) {
	pkg := filepath.Join("..", "node_modules", "nhsuk-frontend")
	if _, err := os.Stat(pkg); errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") == "true" {
			t.Fatal("node_modules/nhsuk-frontend is missing: CI must run `npm ci` (or scripts/build-assets.sh) before go test")
		}
		t.Skip("node_modules/nhsuk-frontend is missing: run scripts/build-assets.sh to check the vendored copy")
	}

	pinned := readJSON[struct {
		Dependencies map[string]string `json:"dependencies"`
	}](t, filepath.Join("..", "package.json")).Dependencies["nhsuk-frontend"]
	installed := readJSON[struct {
		Version string `json:"version"`
	}](t, filepath.Join(pkg, "package.json")).Version
	if pinned == "" || pinned != installed {
		t.Fatalf("package.json pins nhsuk-frontend %q but node_modules has %q: run scripts/build-assets.sh", pinned, installed)
	}

	dist := filepath.Join(pkg, "dist", "nhsuk")
	css, err := os.ReadFile(filepath.Join(dist, "nhsuk-frontend.min.css"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"nhsuk-frontend.min.css", "nhsuk-frontend.min.js"}
	for _, m := range regexp.MustCompile(`url\(["']?/(assets/images/[^)"']+)`).FindAllSubmatch(css, -1) {
		if name := string(m[1]); !slices.Contains(want, name) {
			want = append(want, name)
		}
	}
	sort.Strings(want)

	vendor := filepath.Join("vendor", "nhsuk")
	var have []string
	err = filepath.WalkDir(vendor, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(vendor, p)
		if rel = filepath.ToSlash(rel); rel != "LICENSE" && rel != "README.md" {
			have = append(have, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(have)
	if !slices.Equal(have, want) {
		t.Errorf("static/vendor/nhsuk has %v, the package gives %v: run scripts/build-assets.sh", have, want)
	}
	for _, name := range want {
		got, err1 := os.ReadFile(filepath.Join(vendor, name))
		orig, err2 := os.ReadFile(filepath.Join(dist, name))
		if err := errors.Join(err1, err2); err != nil {
			t.Error(err)
			continue
		}
		if !bytes.Equal(got, orig) {
			t.Errorf("static/vendor/nhsuk/%s differs from nhsuk-frontend %s: run scripts/build-assets.sh", name, installed)
		}
	}
	if _, err := os.Stat(filepath.Join(vendor, "LICENSE")); err != nil {
		t.Errorf("NHS.UK frontend's licence must stay beside the copied files: %v", err)
	}
}

func readJSON[T any](t *testing.T, name string) T {
	t.Helper()
	var v T
	body, err := os.ReadFile(name)
	if err == nil {
		err = json.Unmarshal(body, &v)
	}
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return v
}
