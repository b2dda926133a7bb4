package site_test

// The harness of the browser tests: headless Chromium driven with chromedp,
// keyboard input, and the checks every visited page must pass (axe-core,
// no console errors, no CSP violations).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// browserTimeout bounds one test's whole browser session: when it ends,
// Chromium is killed and every pending step fails.
const browserTimeout = 2 * time.Minute

// axeTags are the axe-core rule sets every page must pass: WCAG 2.0, 2.1
// and 2.2 at levels A and AA, and axe's best practices.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"}

// reportCSP turns each CSP violation into a console error, which names the
// directive and the blocked resource. It runs before any script of the page.
const reportCSP = `document.addEventListener('securitypolicyviolation', e =>
	console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code') +
		' at ' + e.sourceFile + ':' + e.lineNumber))`

type browser struct {
	t        *testing.T
	ctx      context.Context
	base     string // the test server's URL
	axe      string // axe.min.js
	shotsDir string // where to save a screenshot of each checked page; "" for none

	mu       sync.Mutex
	problems []string        // console errors and CSP violations not yet reported
	errorOK  map[string]bool // pages meant to answer an error status, whose load error is no problem
	// errorOKAny is set while a key press loads a page meant to answer an
	// error status (a form shown again with its errors).
	errorOKAny bool
}

// openBrowser starts headless Chromium for one test. Without Chromium or
// axe-core the test fails when CI=true, because CI must run it, and is
// skipped otherwise.
func openBrowser(t *testing.T, base string) *browser {
	t.Helper()
	chromium := os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(chromium); err != nil {
		missing(t, fmt.Sprintf("no Chromium at %s (install Debian's chromium, or set CHROMIUM_PATH): %v", chromium, err))
	}
	axe, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		missing(t, fmt.Sprintf("axe-core is not installed (run npm ci in the repository root): %v", err))
	}

	profile := t.TempDir() // removed after the browser has exited (cleanups run last-in first-out)
	timeout, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1024),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(timeout, opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})

	b := &browser{t: t, ctx: ctx, base: base, axe: string(axe), shotsDir: os.Getenv("PORTAL_SCREENSHOTS"),
		errorOK: map[string]bool{}}
	if err := chromedp.Do(ctx); err != nil { // starts Chromium and opens the tab
		t.Fatalf("start Chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: reportCSP}); err != nil {
		t.Fatalf("install the CSP reporter: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || m.Source == "security" {
				b.mu.Lock()
				if m.Source == "network" && (b.errorOK[m.URL] || b.errorOKAny) {
					b.mu.Unlock()
					continue
				}
				b.problems = append(b.problems, fmt.Sprintf("console %s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1))
				b.mu.Unlock()
			}
		}
	}()
	t.Cleanup(b.reportConsole)
	return b
}

func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("browser tests cannot run: %s", why)
	}
	t.Skipf("skipping browser test: %s", why)
}

// must fails the test at once when a browser step fails: later steps make no
// sense on the wrong page.
func (b *browser) must(err error, what string) {
	b.t.Helper()
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			b.t.Fatalf("%s: the browser session ran past %s: %v", what, browserTimeout, err)
		}
		b.t.Fatalf("%s: %v", what, err)
	}
}

// visit loads path, which must answer 200, and checks the page.
func (b *browser) visit(path string) {
	b.t.Helper()
	b.visitStatus(path, 200)
}

// visitStatus loads path, which must answer status, and checks the page.
func (b *browser) visitStatus(path string, status int64) {
	b.t.Helper()
	if status >= 400 {
		b.mu.Lock()
		b.errorOK[b.base+path] = true
		b.mu.Unlock()
	}
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	b.must(err, "open "+path)
	b.wantStatus(resp, status)
	b.checkPage()
}

// press sends one key to the focused element, as a person would type it.
func (b *browser) press(keys string) {
	b.t.Helper()
	b.must(chromedp.Do(b.ctx, chromedp.KeyEvent(keys)), fmt.Sprintf("press %q", keys))
}

// pressToLoad sends a key that must load a new page (Enter on a link or a
// submit button), waits for it and checks it.
func (b *browser) pressToLoad(keys string) {
	b.t.Helper()
	b.pressToLoadStatus(keys, 200)
}

// pressToLoadStatus is pressToLoad for a page that answers status, like a
// form shown again with its errors (422).
func (b *browser) pressToLoadStatus(keys string, status int64) {
	b.t.Helper()
	if status >= 400 {
		b.mu.Lock()
		b.errorOKAny = true
		b.mu.Unlock()
	}
	resp, err := chromedp.RunResponse(b.ctx, chromedp.KeyEvent(keys))
	b.must(err, fmt.Sprintf("press %q and wait for the next page", keys))
	b.wantStatus(resp, status)
	b.checkPage()
	b.mu.Lock()
	b.errorOKAny = false
	b.mu.Unlock()
}

// back goes back in history, like the browser's back button, and checks
// the page it lands on. The page may come from the back/forward cache,
// which fires no load event, so this waits for the address instead.
func (b *browser) back() {
	b.t.Helper()
	history, err := chromedp.Call(b.ctx, page.GetNavigationHistory, cdp.Empty{})
	b.must(err, "read the history")
	if history.CurrentIndex < 1 {
		b.t.Fatal("there is no page to go back to")
	}
	previous := history.Entries[history.CurrentIndex-1]
	_, err = chromedp.Call(b.ctx, page.NavigateToHistoryEntry, page.NavigateToHistoryEntryParams{EntryID: previous.ID})
	b.must(err, "go back")
	b.waitFor(fmt.Sprintf(`location.href === %s && document.readyState === 'complete'`, jsString(previous.URL)),
		"be back on "+previous.URL)
	b.checkPage()
}

// waitFor evaluates a condition until it holds, for up to ten seconds. An
// evaluation that fails because the page is being replaced counts as false.
func (b *browser) waitFor(condition, what string) {
	b.t.Helper()
	var lastErr error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](condition))
		if err == nil && ok {
			return
		}
		if err != nil {
			if b.ctx.Err() != nil {
				b.must(err, "wait for "+what)
			}
			lastErr = err
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("waited 10s for %s (last error: %v)", what, lastErr)
}

func (b *browser) wantStatus(resp *network.Response, want int64) {
	b.t.Helper()
	if resp == nil {
		b.t.Fatalf("no response for the page")
	}
	if resp.Status != want {
		b.t.Fatalf("%s answered %d, want %d", resp.URL, resp.Status, want)
	}
}

// tabTo presses Tab until the focused element matches selector, the way a
// keyboard user moves through the page. It fails when it takes more than
// limit presses, which also catches an element that cannot be focused.
func (b *browser) tabTo(selector string, limit int) {
	b.t.Helper()
	check := fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%s)`, jsString(selector))
	for range limit {
		b.press(kb.Tab)
		focused, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](check))
		b.must(err, "read the focused element")
		if focused {
			return
		}
	}
	b.t.Fatalf("%s: %s not reached after %d presses of Tab", b.location(), selector, limit)
}

// eval runs a JavaScript expression and decodes its value into T.
func eval[T any](b *browser, expression string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expression))
	b.must(err, "evaluate "+expression)
	return v
}

func (b *browser) text(selector string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%[1]s) || {innerText: '(no %[2]s)'}).innerText.trim()`,
		jsString(selector), strings.ReplaceAll(selector, "'", "")))
}

func (b *browser) location() *url.URL {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	b.must(err, "read the location")
	u, err := url.Parse(loc)
	b.must(err, "parse the location")
	return u
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// checkPage runs axe-core on the current page and reports every violation,
// every console error and CSP violation since the last check, and saves a
// screenshot when asked to.
func (b *browser) checkPage() {
	b.t.Helper()
	where := b.location().RequestURI()
	// axe needs the page complete; a page restored from the back/forward
	// cache already is.
	b.waitFor(`document.readyState === 'complete'`, where+" to load")
	if !eval[bool](b, `typeof window.axe === 'object'`) {
		b.must(chromedp.Do(b.ctx, chromedp.Evaluate[chromedp.Void](b.axe)), where+": inject axe-core")
	}
	tags, _ := json.Marshal(axeTags)
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		fmt.Sprintf(`axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
			.then(r => JSON.stringify({passes: r.passes.length, violations: r.violations}))`, tags),
		chromedp.EvalAwaitPromise))
	b.must(err, where+": run axe-core")
	var result struct {
		Passes     int
		Violations []axeViolation
	}
	b.must(json.Unmarshal([]byte(raw), &result), where+": read axe-core's results")
	if result.Passes == 0 {
		b.t.Errorf("%s: axe-core passed no rules at all, so it did not check the page", where)
	}
	for _, v := range result.Violations {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprint(n.Target...))
		}
		b.t.Errorf("%s: axe %s (%s): %s\n\ton %d node(s): %s\n\t%s", where, v.ID, v.Impact, v.Help, len(v.Nodes),
			strings.Join(nodes, ", "), firstSummary(v))
	}
	b.reportConsole()
	if b.shotsDir != "" {
		b.screenshot(where)
	}
}

func firstSummary(v axeViolation) string {
	if len(v.Nodes) == 0 {
		return ""
	}
	return strings.ReplaceAll(v.Nodes[0].Summary, "\n", "\n\t")
}

// reportConsole fails the test for the console errors and CSP violations
// seen so far.
func (b *browser) reportConsole() {
	b.t.Helper()
	b.mu.Lock()
	problems := b.problems
	b.problems = nil
	b.mu.Unlock()
	for _, p := range problems {
		b.t.Errorf("%s", p)
	}
}

var notFileName = regexp.MustCompile(`[^a-zA-Z0-9]+`)

func (b *browser) screenshot(where string) {
	b.t.Helper()
	size := eval[[]float64](b, `[document.documentElement.scrollWidth, document.documentElement.scrollHeight, window.innerWidth]`)
	shot, err := chromedp.Call(b.ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: new(true),
		Clip:                  &page.Viewport{Width: size[0], Height: size[1], Scale: 1},
	})
	b.must(err, "take a screenshot")
	name := fmt.Sprintf("%s %d %s", b.t.Name(), int(size[2]), where)
	name = strings.Trim(notFileName.ReplaceAllString(name, "_"), "_") + ".png"
	if err := os.MkdirAll(b.shotsDir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.shotsDir, name), shot.Data, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
