package static

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func assetNames(t *testing.T) []string {
	t.Helper()
	var names []string
	err := fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestURL_ReturnsContentHashedPath(t *testing.T) {
	tests := map[string]*regexp.Regexp{
		"css/portal.css":                      regexp.MustCompile(`^/static/css/portal\.[0-9a-f]{8}\.css$`),
		"js/portal.js":                        regexp.MustCompile(`^/static/js/portal\.[0-9a-f]{8}\.js$`),
		"vendor/nhsuk/nhsuk-frontend.min.css": regexp.MustCompile(`^/static/vendor/nhsuk/nhsuk-frontend\.min\.[0-9a-f]{8}\.css$`),
		"img/favicon.ico":                     regexp.MustCompile(`^/static/img/favicon\.[0-9a-f]{8}\.ico$`),
	}
	for name, want := range tests {
		if got := URL(name); !want.MatchString(got) {
			t.Errorf("URL(%q) = %q, want match for %s", name, got, want)
		}
	}
	if URL("css/portal.css") != URL("css/portal.css") {
		t.Error("URL is not stable between calls")
	}
}

func TestURL_PanicsForUnknownName(t *testing.T) {
	for _, name := range []string{"css/portl.css", "/static/css/portal.css", "css", ""} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("URL(%q) did not panic", name)
				}
			}()
			URL(name)
		}()
	}
}

func TestVersion_IsShortHash(t *testing.T) {
	if !regexp.MustCompile(`^[0-9a-f]{8}$`).MatchString(Version()) {
		t.Errorf("Version() = %q, want 8 hex digits", Version())
	}
}

func TestHandler_ServesEveryAssetAtItsURLWithImmutableCaching(t *testing.T) {
	h := Handler()
	for _, name := range assetNames(t) {
		rec := get(t, h, URL(name))
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", name, rec.Code)
			continue
		}
		if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", name, got)
		}
		if rec.Header().Get("ETag") == "" {
			t.Errorf("%s: no ETag", name)
		}
		if rec.Body.Len() == 0 {
			t.Errorf("%s: empty body", name)
		}
	}
}

func TestHandler_SetsContentType(t *testing.T) {
	tests := map[string]string{
		"css/portal.css":                                  "text/css; charset=utf-8",
		"vendor/nhsuk/nhsuk-frontend.min.css":             "text/css; charset=utf-8",
		"js/portal.js":                                    "text/javascript; charset=utf-8",
		"vendor/nhsuk/nhsuk-frontend.min.js":              "text/javascript; charset=utf-8",
		"img/favicon.svg":                                 "image/svg+xml",
		"img/favicon.ico":                                 "image/x-icon",
		"img/apple-touch-icon.png":                        "image/png",
		"vendor/nhsuk/LICENSE":                            "text/plain; charset=utf-8",
		"vendor/nhsuk/assets/images/nhsuk-icon-cross.svg": "image/svg+xml",
	}
	for name, want := range tests {
		rec := get(t, Handler(), URL(name))
		if got := rec.Header().Get("Content-Type"); got != want {
			t.Errorf("%s: Content-Type %q, want %q", name, got, want)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", name, got)
		}
	}
	if got := contentTypes[".woff2"]; got != "font/woff2" {
		t.Errorf("woff2 content type %q", got)
	}
}

func TestHandler_UnknownPathsAreNotFound(t *testing.T) {
	for _, target := range []string{
		"/static/",
		"/static/css",
		"/static/css/",
		"/static/vendor/nhsuk/",
		"/static/css/missing.css",
		"/static/css/missing.3f2a9c1e.css",
		"/static/static.go",
		"/static/../static/static.go",
		"/static/img/favicon.ico.map",
		"/css/portal.css",
		"/favicon.ico",
	} {
		if rec := get(t, Handler(), target); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, rec.Code)
		}
	}
}

// A plain name, or a hash from another build (a rolling deploy), gets today's content but must not be cached
// as immutable under that URL.
func TestHandler_OtherNamesOfAKnownFileAreServedUncached(t *testing.T) {
	for _, target := range []string{
		"/static/css/portal.css",
		"/static/css/portal.00000000.css",
		"/static/vendor/nhsuk/nhsuk-frontend.min.css",
		"/static/vendor/nhsuk/LICENSE",
	} {
		rec := get(t, Handler(), target)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d", target, rec.Code)
			continue
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", target, got)
		}
	}
}

func TestHandler_AnswersConditionalRequestsWithNotModified(t *testing.T) {
	first := get(t, Handler(), URL("css/portal.css"))
	again := get(t, Handler(), URL("css/portal.css"), "If-None-Match", first.Header().Get("ETag"))
	if again.Code != http.StatusNotModified {
		t.Errorf("status %d, want 304", again.Code)
	}
}

func TestHandler_OnlyGetAndHead(t *testing.T) {
	head := httptest.NewRecorder()
	Handler().ServeHTTP(head, httptest.NewRequest(http.MethodHead, URL("css/portal.css"), nil))
	if head.Code != http.StatusOK || head.Body.Len() != 0 {
		t.Errorf("HEAD: status %d, %d body bytes", head.Code, head.Body.Len())
	}
	post := httptest.NewRecorder()
	Handler().ServeHTTP(post, httptest.NewRequest(http.MethodPost, URL("css/portal.css"), nil))
	if post.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", post.Code)
	}
}

var servedURL = regexp.MustCompile(`url\("([^"]*)"\)|@import "([^"]*)"`)

// Every url() in every stylesheet, as served, must be a file the handler serves: a broken one is a 404 and a
// console error in every browser.
func TestHandler_CSSReferencesResolveToServedFiles(t *testing.T) {
	h := Handler()
	checked := 0
	for _, name := range assetNames(t) {
		if !strings.HasSuffix(name, ".css") {
			continue
		}
		css := get(t, h, URL(name)).Body.String()
		for _, m := range cssURL.FindAllStringSubmatch(css, -1) {
			ref := m[1] + m[2] + m[3]
			if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
				continue
			}
			if !strings.HasPrefix(ref, urlPrefix) {
				t.Errorf("%s: url(%s) was not rewritten to a /static/ URL", name, ref)
				continue
			}
			rec := get(t, h, strings.SplitN(ref, "#", 2)[0])
			if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
				t.Errorf("%s: url(%s) got status %d, Cache-Control %q", name, ref, rec.Code, rec.Header().Get("Cache-Control"))
			}
			checked++
		}
	}
	if checked == 0 {
		t.Error("found no url() references; NHS.UK frontend's CSS has several")
	}
}

// NHS.UK frontend's CSS loads Frutiger from an NHS host. The font is licensed to NHS organisations and the CSP
// allows fonts from 'self' only, so the served CSS must not ask for it (text falls back to Arial).
func TestHandler_ServedCSSLoadsNothingFromElsewhere(t *testing.T) {
	css := get(t, Handler(), URL("vendor/nhsuk/nhsuk-frontend.min.css")).Body.String()
	for _, bad := range []string{"@font-face", "assets.nhs.uk", "http://", "https://", "sourceMappingURL"} {
		if strings.Contains(css, bad) {
			t.Errorf("served NHS.UK frontend CSS still contains %q", bad)
		}
	}
	if !strings.Contains(css, "font-family:Frutiger W01,arial,sans-serif") {
		t.Error("the Arial fallback font stack is gone from the served CSS")
	}
}

func TestHandler_PortalJSImportsTheHashedBundle(t *testing.T) {
	js := get(t, Handler(), URL("js/portal.js")).Body.String()
	want := `from "` + URL("vendor/nhsuk/nhsuk-frontend.min.js") + `"`
	if !strings.Contains(js, want) {
		t.Errorf("portal.js as served does not contain %s:\n%s", want, js)
	}
	bundle := get(t, Handler(), URL("vendor/nhsuk/nhsuk-frontend.min.js")).Body.String()
	if !strings.Contains(bundle, "initAll") || strings.Contains(bundle, "sourceMappingURL") {
		t.Error("bundle as served lacks initAll or still points at a source map")
	}
}

func TestIcons_AreTheSizesTheLayoutDeclares(t *testing.T) {
	touch, err := png.DecodeConfig(bytes.NewReader(get(t, Handler(), URL("img/apple-touch-icon.png")).Body.Bytes()))
	if err != nil || touch.Width != 180 || touch.Height != 180 {
		t.Errorf("apple-touch-icon.png: %dx%d, %v; want 180x180", touch.Width, touch.Height, err)
	}
	ico := get(t, Handler(), URL("img/favicon.ico")).Body.Bytes()
	if len(ico) < 6 || binary.LittleEndian.Uint16(ico[2:]) != 1 || binary.LittleEndian.Uint16(ico[4:]) == 0 {
		t.Errorf("favicon.ico is not an icon file")
	}
	// The 48x48 entry is what <link rel="icon" sizes="48x48"> promises.
	found48 := false
	for i := 0; i < int(binary.LittleEndian.Uint16(ico[4:])); i++ {
		if ico[6+16*i] == 48 {
			found48 = true
		}
	}
	if !found48 {
		t.Error("favicon.ico has no 48x48 image")
	}
}

func TestBuildManifest_RewritesReferences(t *testing.T) {
	fsys := fstest.MapFS{
		"img/a.svg": {Data: []byte("<svg/>")},
		"css/b.css": {Data: []byte(`@import "c.css";.x{background:url(../img/a.svg#frag)}.y{background:url('data:image/png;base64,AA')}`)},
		"css/c.css": {Data: []byte(`.z{background:url( "../img/a.svg" )}`)},
		"vendor/p/p.css": {Data: []byte(
			`@font-face{font-family:F;src:url(https://fonts.example/f.woff2) format("woff2")}` +
				`.i{background:url(/assets/i.svg)}` + "\n/*# sourceMappingURL=p.css.map */\n")},
		"vendor/p/assets/i.svg": {Data: []byte("<svg/>")},
		"js/app.js":             {Data: []byte(`import { go } from '../vendor/p/lib.js'; import("./lazy.js"); import x from "bare";` + "\n//# sourceMappingURL=app.js.map\n")},
		"js/lazy.js":            {Data: []byte(`export {}`)},
		"vendor/p/lib.js":       {Data: []byte(`export function go() {}`)},
	}
	m, err := buildManifest(fsys)
	if err != nil {
		t.Fatal(err)
	}
	u := func(name string) string { return urlPrefix + m.byName[name].hashedName }
	tests := map[string][]string{
		"css/b.css":      {`@import "` + u("css/c.css") + `"`, `url("` + u("img/a.svg") + `#frag")`, `url('data:image/png;base64,AA')`},
		"css/c.css":      {`url("` + u("img/a.svg") + `")`},
		"vendor/p/p.css": {`.i{background:url("` + u("vendor/p/assets/i.svg") + `")}`},
		"js/app.js":      {`from "` + u("vendor/p/lib.js") + `"`, `import("` + u("js/lazy.js") + `")`, `from "bare"`},
	}
	for name, wants := range tests {
		body := string(m.byName[name].body)
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s: want %s in:\n%s", name, want, body)
			}
		}
		for _, gone := range []string{"@font-face", "fonts.example", "sourceMappingURL"} {
			if strings.Contains(body, gone) {
				t.Errorf("%s: still contains %s:\n%s", name, gone, body)
			}
		}
	}
}

func TestBuildManifest_HashCoversReferencedFiles(t *testing.T) {
	build := func(svg string) *manifest {
		m, err := buildManifest(fstest.MapFS{
			"img/a.svg": {Data: []byte(svg)},
			"css/b.css": {Data: []byte(`.x{background:url(../img/a.svg)}`)},
			"js/c.js":   {Data: []byte(`export {}`)},
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	before, after := build("<svg/>"), build("<svg></svg>")
	if before.byName["css/b.css"].hashedName == after.byName["css/b.css"].hashedName {
		t.Error("changing an image the CSS uses did not change the CSS URL")
	}
	if before.byName["js/c.js"].hashedName != after.byName["js/c.js"].hashedName {
		t.Error("changing an image changed an unrelated file's URL")
	}
	if before.version == after.version {
		t.Error("Version did not change")
	}
}

func TestBuildManifest_RejectsBrokenReferences(t *testing.T) {
	tests := map[string]fstest.MapFS{
		"missing file":      {"css/a.css": {Data: []byte(`.x{background:url(missing.svg)}`)}},
		"remote image":      {"css/a.css": {Data: []byte(`.x{background:url(https://example.com/x.png)}`)}},
		"protocol-relative": {"css/a.css": {Data: []byte(`.x{background:url(//example.com/x.png)}`)}},
		"outside static":    {"css/a.css": {Data: []byte(`.x{background:url(../../x.png)}`)}},
		"missing JS module": {"js/a.js": {Data: []byte(`import "./nope.js"`)}},
		"root-relative JS":  {"js/a.js": {Data: []byte(`import "/js/b.js"`)}, "js/b.js": {Data: []byte(``)}},
		"unknown file type": {"img/a.bmp": {Data: []byte(`BM`)}},
		"reference cycle": {
			"css/a.css": {Data: []byte(`@import "b.css";`)},
			"css/b.css": {Data: []byte(`@import "a.css";`)},
		},
	}
	for name, fsys := range tests {
		if _, err := buildManifest(fsys); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestHashedName_RoundTrips(t *testing.T) {
	tests := map[string]string{
		"css/portal.css":                      "css/portal.0123abcd.css",
		"vendor/nhsuk/nhsuk-frontend.min.css": "vendor/nhsuk/nhsuk-frontend.min.0123abcd.css",
		"vendor/nhsuk/LICENSE":                "vendor/nhsuk/LICENSE.0123abcd",
	}
	for name, want := range tests {
		if got := hashedName(name, "0123abcd"); got != want {
			t.Errorf("hashedName(%q) = %q, want %q", name, got, want)
		}
		if got := unhashedName(want); got != name {
			t.Errorf("unhashedName(%q) = %q, want %q", want, got, name)
		}
	}
}
