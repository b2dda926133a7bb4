// Package static owns the site's front-end files (CSS, JavaScript, icons and the vendored NHS.UK frontend):
// it embeds them, names each by a hash of its content, and serves them under /static/ with long-lived caching.
//
// Names passed to URL are paths below this folder, such as "css/portal.css". At start-up every CSS and JS
// file's references to other assets (CSS url() and @import, JS relative import specifiers) are rewritten to
// the hashed URLs, so a changed icon changes the hash of the stylesheet that uses it. The package knows
// nothing of pages or templates beyond handing out URLs.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
)

// FS holds every file under static/ (embedded).
//
//go:embed css img js vendor
var FS embed.FS

// urlPrefix is where Handler expects to be mounted, and the start of every URL it hands out.
const urlPrefix = "/static/"

// hashLen is the number of hex digits of the content hash put in a file name.
const hashLen = 8

// assets is built once at start-up: a broken reference in a stylesheet stops the program here, not in a
// visitor's browser.
var assets = mustBuildManifest(FS)

// Handler serves the assets at /static/<hashed name> (mount it on the /static/ path prefix without stripping
// the prefix). The current hashed name is cached for a year as immutable. Any other name of a known file (the
// plain name, or an old hash during a rolling deploy) gets the current content with Cache-Control: no-cache,
// so nothing stale is cached for long. Everything else, including directories, is 404.
func Handler() http.Handler {
	return assets
}

// URL returns the hashed URL of the named file, for example URL("css/portal.css") returns
// "/static/css/portal.3f2a9c1e.css". It panics if there is no such file: call it while parsing templates so
// that a typo stops start-up.
func URL(name string) string {
	a, ok := assets.byName[name]
	if !ok {
		panic(fmt.Sprintf("static: no asset %q", name))
	}
	return urlPrefix + a.hashedName
}

// Version returns a short hash of all assets; it changes whenever any of them does.
func Version() string {
	return assets.version
}

type asset struct {
	name        string // path under static/, e.g. "css/portal.css"
	hashedName  string // e.g. "css/portal.3f2a9c1e.css"
	hash        string // full hex SHA-256 of body
	body        []byte // as served: CSS and JS have their references rewritten
	contentType string
}

type manifest struct {
	byName   map[string]*asset
	byHashed map[string]*asset
	version  string
}

func mustBuildManifest(fsys fs.FS) *manifest {
	m, err := buildManifest(fsys)
	if err != nil {
		panic("static: " + err.Error())
	}
	return m
}

// buildManifest reads every file in fsys, rewrites the references in CSS and JS, and hashes the results.
// Referenced files are processed first, so a file's hash covers the hashes of what it refers to.
func buildManifest(fsys fs.FS) (*manifest, error) {
	b := &builder{raw: map[string][]byte{}, done: map[string]*asset{}, busy: map[string]bool{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		b.raw[name] = body
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read assets: %w", err)
	}
	names := make([]string, 0, len(b.raw))
	for name := range b.raw {
		names = append(names, name)
	}
	sort.Strings(names)

	m := &manifest{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	all := sha256.New()
	for _, name := range names {
		a, err := b.process(name)
		if err != nil {
			return nil, err
		}
		m.byName[name] = a
		m.byHashed[a.hashedName] = a
		fmt.Fprintf(all, "%s\x00%s\n", name, a.hash)
	}
	m.version = hex.EncodeToString(all.Sum(nil))[:hashLen]
	return m, nil
}

type builder struct {
	raw  map[string][]byte
	done map[string]*asset
	busy map[string]bool // being processed: finding one again means a reference cycle
}

func (b *builder) process(name string) (*asset, error) {
	if a, ok := b.done[name]; ok {
		return a, nil
	}
	if b.busy[name] {
		return nil, fmt.Errorf("%s: reference cycle", name)
	}
	b.busy[name] = true
	defer delete(b.busy, name)

	contentType, err := contentTypeOf(name)
	if err != nil {
		return nil, err
	}
	body := b.raw[name]
	switch path.Ext(name) {
	case ".css":
		body, err = b.rewriteCSS(name, body)
	case ".js", ".mjs":
		body, err = b.rewriteJS(name, body)
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	a := &asset{
		name:        name,
		hashedName:  hashedName(name, hash[:hashLen]),
		hash:        hash,
		body:        body,
		contentType: contentType,
	}
	b.done[name] = a
	return a, nil
}

var (
	cssFontFace  = regexp.MustCompile(`@font-face\s*\{[^}]*\}`)
	cssURL       = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)`)
	cssImport    = regexp.MustCompile(`@import\s+(?:"([^"]*)"|'([^']*)')`)
	cssSourceMap = regexp.MustCompile(`/\*# sourceMappingURL=[^*]*\*/\s*$`)
	jsSourceMap  = regexp.MustCompile(`//# sourceMappingURL=[^\s"']*\s*$`)
	jsImportPath = regexp.MustCompile(`(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(?:"((?:\.\.?)?/[^"\s]*)"|'((?:\.\.?)?/[^'\s]*)')`)
	remoteURL    = regexp.MustCompile(`^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)`)
)

// rewriteCSS points url() and @import references at hashed URLs. It drops @font-face rules that load fonts
// from another host (NHS.UK frontend's CSS loads Frutiger, licensed to NHS organisations only, from an NHS
// host; the CSP allows fonts from 'self' only) so text falls back to the next font in the stack, and it drops
// the source map comment because the maps are not shipped.
func (b *builder) rewriteCSS(name string, body []byte) ([]byte, error) {
	body = cssFontFace.ReplaceAllFunc(body, func(rule []byte) []byte {
		for _, m := range cssURL.FindAllSubmatch(rule, -1) {
			if remoteURL.Match(firstGroup(m)) {
				return nil
			}
		}
		return rule
	})
	body = cssSourceMap.ReplaceAll(body, nil)

	var firstErr error
	rewrite := func(re *regexp.Regexp, format string) {
		body = re.ReplaceAllFunc(body, func(match []byte) []byte {
			ref := string(firstGroup(re.FindSubmatch(match)))
			u, err := b.resolve(name, ref, true)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return match
			}
			if u == "" {
				return match
			}
			return fmt.Appendf(nil, format, u)
		})
	}
	rewrite(cssURL, `url("%s")`)
	rewrite(cssImport, `@import "%s"`)
	return body, firstErr
}

// rewriteJS points relative module specifiers ("./x.js", "../vendor/y.js") at hashed URLs, leaving bare
// specifiers alone; a root-relative or remote specifier is an error. It drops the source map comment.
func (b *builder) rewriteJS(name string, body []byte) ([]byte, error) {
	body = jsSourceMap.ReplaceAll(body, nil)
	var firstErr error
	body = jsImportPath.ReplaceAllFunc(body, func(match []byte) []byte {
		m := jsImportPath.FindSubmatch(match)
		u, err := b.resolve(name, string(firstGroup(m[1:])), false)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return match
		}
		return fmt.Appendf(nil, `%s"%s"`, m[1], u)
	})
	return body, firstErr
}

// resolve turns a reference found in the file from into the hashed URL of the file it names. It returns ""
// for references that need no rewriting (data: URIs, fragment-only references), and an error for remote
// URLs and for files that do not exist. In CSS a root-relative reference ("/assets/x.svg") is resolved
// against the package root, see packageRoot.
func (b *builder) resolve(from, ref string, css bool) (string, error) {
	ref = strings.TrimSpace(ref)
	switch {
	case ref == "", strings.HasPrefix(ref, "#"), strings.HasPrefix(ref, "data:"):
		return "", nil
	case remoteURL.MatchString(ref):
		return "", fmt.Errorf("%s refers to %q: serve it from static/ instead (the CSP allows only 'self')", from, ref)
	}
	target, suffix := ref, ""
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		target, suffix = ref[:i], ref[i:]
	}
	if strings.HasPrefix(target, "/") {
		if !css {
			return "", fmt.Errorf("%s refers to %q: use a relative path", from, ref)
		}
		target = path.Join(packageRoot(from), target)
	} else {
		target = path.Join(path.Dir(from), target)
	}
	if strings.HasPrefix(target, "../") || target == ".." {
		return "", fmt.Errorf("%s refers to %q, which is outside static/", from, ref)
	}
	if _, ok := b.raw[target]; !ok {
		return "", fmt.Errorf("%s refers to %q, but there is no %s in static/", from, ref, target)
	}
	a, err := b.process(target)
	if err != nil {
		return "", err
	}
	return urlPrefix + a.hashedName + suffix, nil
}

// packageRoot is the folder a root-relative CSS URL is resolved against: vendor/<package>/ for a vendored
// package (whose CSS was compiled expecting to be served from the site root, e.g. NHS.UK frontend's
// url(/assets/images/...)), and static/ itself for the site's own files.
func packageRoot(name string) string {
	parts := strings.SplitN(name, "/", 3)
	if len(parts) == 3 && parts[0] == "vendor" {
		return parts[0] + "/" + parts[1]
	}
	return "."
}

// firstGroup returns the first non-empty capture group of a regexp match (alternatives capture separately).
func firstGroup(m [][]byte) []byte {
	for _, g := range m[1:] {
		if len(g) > 0 {
			return g
		}
	}
	return nil
}

// hashedName puts the hash before the extension: css/portal.css -> css/portal.<hash>.css.
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	if ext == path.Base(name) {
		ext = "" // a dot file
	}
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// unhashedName undoes hashedName for any hash, so that an old or missing hash still finds the file.
func unhashedName(name string) string {
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	if i := strings.LastIndexByte(stem, '.'); i >= 0 && isHash(stem[i+1:]) {
		return stem[:i] + ext
	}
	if isHash(strings.TrimPrefix(ext, ".")) { // a file without extension: LICENSE.<hash>
		return stem
	}
	return name
}

func isHash(s string) bool {
	if len(s) != hashLen {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// contentTypes lists every kind of file static/ may hold. Go's mime package reads the host's MIME tables,
// which differ between machines, so the types are fixed here; an unlisted kind fails start-up.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".webp":  "image/webp",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
	"":       "text/plain; charset=utf-8", // LICENSE
}

func contentTypeOf(name string) (string, error) {
	ext := path.Ext(name)
	if ext == path.Base(name) {
		ext = ""
	}
	if t, ok := contentTypes[strings.ToLower(ext)]; ok {
		return t, nil
	}
	return "", fmt.Errorf("%s: no content type for %q files; add one to contentTypes", name, ext)
}

// noModTime makes ServeContent send no Last-Modified (the embedded files have no useful time); the ETag
// carries the content hash instead.
var noModTime time.Time

// ServeHTTP serves GET and HEAD requests for /static/<name>.
func (m *manifest) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, urlPrefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	cacheControl := "public, max-age=31536000, immutable"
	a, ok := m.byHashed[name]
	if !ok {
		if a, ok = m.byName[unhashedName(name)]; !ok {
			http.NotFound(w, r)
			return
		}
		cacheControl = "no-cache"
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", cacheControl)
	h.Set("ETag", `"`+a.hash[:2*hashLen]+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", noModTime, bytes.NewReader(a.body))
}
