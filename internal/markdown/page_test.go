package markdown

import (
	"fmt"
	"html/template"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// renderMarker stands in for the caller's templates: markup the sanitiser
// would strip (a class), so its survival shows it was inserted afterwards.
func renderMarker(b Block) template.HTML {
	status := "ok"
	if b.Err != nil {
		status = "error"
	}
	return template.HTML(fmt.Sprintf(`<div class="live-block" data-block="%d-%s-%s"></div>`, b.Index, b.Kind, status))
}

func TestRenderPage_RemovesUnsafeMarkup(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		forbidden []string
	}{
		{"script element", "Hello <script>alert(1)</script>", []string{"<script"}},
		{"script block", "<script>\nalert(1)\n</script>\n", []string{"<script"}},
		{"raw html", `<div style="position:fixed">Win</div>`, []string{"<div", "style"}},
		{"event handler", `<img src=x onerror=alert(1)>`, []string{"onerror", "<img"}},
		{"javascript link", "[click](javascript:alert(1))", []string{"javascript:"}},
		{"javascript link with entities", "[click](jav&#x09;ascript:alert(1))", []string{"javascript:", "ascript:"}},
		{"javascript image", "![x](javascript:alert(1))", []string{"javascript:"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", []string{"data:"}},
		{"data image", "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", []string{"data:"}},
		{"raw anchor", `<a href="javascript:alert(1)" onclick="alert(2)">x</a>`, []string{"javascript:", "onclick"}},
		{"iframe", "<iframe src=https://evil.example></iframe>", []string{"<iframe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := strings.ToLower(string(RenderPage(tt.src, renderMarker)))
			for _, bad := range tt.forbidden {
				if strings.Contains(out, bad) {
					t.Errorf("output %q still contains %s", out, bad)
				}
			}
		})
	}
}

func TestRenderPage_InsertsBlocksAfterSanitising(t *testing.T) {
	src := "Intro.\n\n" + fence("vacancies", "q: nurse\n") + "\nMiddle.\n\n" + fence("pathway", "- title: A\n  text: B\n")
	out := string(RenderPage(src, renderMarker))
	for _, want := range []string{
		"<p>Intro.</p>",
		`<div class="live-block" data-block="0-vacancies-ok"></div>`,
		"<p>Middle.</p>",
		`<div class="live-block" data-block="1-pathway-ok"></div>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in %s", want, out)
		}
	}
	if strings.Contains(out, "LIVEBLOCK") || strings.Contains(out, "<pre") {
		t.Errorf("a placeholder or the block's YAML is left in %s", out)
	}
}

func TestRenderPage_PassesBlocksWithErrorsToRender(t *testing.T) {
	out := string(RenderPage(fence("vacancies", "limit: 99\n"), renderMarker))
	if !strings.Contains(out, `data-block="0-vacancies-error"`) {
		t.Errorf("block with an error was not rendered: %s", out)
	}
	if out := RenderPage(fence("vacancies", "limit: 99\n"), func(Block) template.HTML { return "" }); strings.TrimSpace(string(out)) != "" {
		t.Errorf("public page should show nothing for the block, got %q", out)
	}
}

func TestRenderPage_KeepsBlocksInListItemsAndBlockquotesInPlace(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"list item", "- Jobs:\n\n  ```vacancies\n  q: nurse\n  ```\n", `<li>
<p>Jobs:</p>
<div class="live-block" data-block="0-vacancies-ok"></div>
</li>`},
		{"blockquote", "> ```pathway\n> - title: A\n>   text: B\n> ```\n", `<blockquote>
<div class="live-block" data-block="0-pathway-ok"></div>
</blockquote>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if out := string(RenderPage(tt.src, renderMarker)); !strings.Contains(out, tt.want) {
				t.Errorf("missing\n%s\nin\n%s", tt.want, out)
			}
		})
	}
}

func TestRenderPage_LeavesAForgedPlaceholderAlone(t *testing.T) {
	src := "LIVEBLOCK-0-0\n\n<p>LIVEBLOCK-AAAAAAAAAAAAAAAAAAAAAAAAAA-0</p>\n\nLIVEBLOCK-x-0\n\n" + fence("vacancies", "q: nurse\n")
	calls := 0
	out := string(RenderPage(src, func(b Block) template.HTML {
		calls++
		return renderMarker(b)
	}))
	if calls != 1 {
		t.Errorf("render called %d times, want once", calls)
	}
	if n := strings.Count(out, `class="live-block"`); n != 1 {
		t.Errorf("%d blocks in output, want 1: %s", n, out)
	}
	for _, forged := range []string{"<p>LIVEBLOCK-0-0</p>", "<p>LIVEBLOCK-x-0</p>"} {
		if !strings.Contains(out, forged) {
			t.Errorf("forged text %s should stay as text in %s", forged, out)
		}
	}
}

func TestRenderPage_RendersGFM(t *testing.T) {
	out := string(RenderPage("| Band | Pay |\n|---|---|\n| 5 | £29,970 |\n\n~~old~~ and https://example.org/jobs\n", nil))
	for _, want := range []string{"<table>", "<th>Band</th>", "<td>£29,970</td>", "<del>old</del>", `<a href="https://example.org/jobs"`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in %s", want, out)
		}
	}
}

func TestRenderPage_GivesHeadingsUniqueIDs(t *testing.T) {
	out := string(RenderPage("## Pay\n\n## Pay\n\n### Pay\n\n## \"Shifts\" -- and hours\n\n## Maincontent\n\n## ¿¡\n", nil))
	for _, want := range []string{
		`<h2 id="pay">Pay</h2>`,
		`<h2 id="pay-1">Pay</h2>`,
		`<h3 id="pay-2">Pay</h3>`,
		`<h2 id="shifts-and-hours">`,
		`<h2 id="maincontent-1">Maincontent</h2>`, // the layout's skip link target stays unique
		`<h2 id="heading">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in %s", want, out)
		}
	}
}

func TestRenderPage_UsesTypographicPunctuation(t *testing.T) {
	out := string(RenderPage(`She said "apply today" -- it's quick... really --- truly.`, nil))
	for _, want := range []string{"“apply today”", "–", "it’s", "…", "—"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in %s", want, out)
		}
	}
}

func TestToHTML_HasNoHeadingIDs(t *testing.T) {
	// Vacancy descriptions sit inside a page with its own ids.
	if out := string(ToHTML("## Duties\n")); out != "<h2>Duties</h2>\n" {
		t.Errorf("got %q", out)
	}
}

func TestHeadings_ListsH2sWithTheirIDs(t *testing.T) {
	src := "# Working in Fenland\n\n## Why *Fenland*?\n\n### Schools\n\n## Pay & \"benefits\"\n\n" +
		fence("vacancies", "heading: Jobs now\n") + "\n## Pay & \"benefits\"\n"
	got := Headings(src)
	want := []Heading{{"why-fenland", "Why Fenland?"}, {"pay-benefits", "Pay & “benefits”"}, {"pay-benefits-1", "Pay & “benefits”"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func FuzzRenderPage(f *testing.F) {
	for _, seed := range []string{
		"",
		"## Pay\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		fence("vacancies", "heading: Care jobs\nq: care worker\nstaff_group: social-care\nplace: Wisbech\nradius: 15\nlimit: 5\n"),
		fence("pathway", "- title: Nurse\n  band: \"5\"\n  text: Cares.\n"),
		"- x\n\n  ```vacancies\n  q: [\n  ```\n",
		"> ```pathway\n> - *a\n> ```\n",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1)) ![y](JaVaScRiPt:alert(1)) <img src=x onerror=alert(1)>",
		"[x](jav&#x09;ascript:alert(1)) [y](&#106;avascript:alert(1))",
		"<p>LIVEBLOCK-0-0</p>\n\nLIVEBLOCK-x-1",
		"[0](0000#jAvAsCript:)", // a relative link whose fragment reads like a scheme: harmless
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		blocks := Blocks(src)
		out := string(RenderPage(src, renderMarker))
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("output has a script tag: %q", out)
		}
		// Prose may mention "javascript:"; no attribute may run script.
		tokens := html.NewTokenizer(strings.NewReader(out))
		for tt := tokens.Next(); tt != html.ErrorToken; tt = tokens.Next() {
			for _, attr := range tokens.Token().Attr {
				if strings.HasPrefix(attr.Key, "on") || unsafeScheme(attr.Val) {
					t.Fatalf("unsafe attribute %s=%q in %q", attr.Key, attr.Val, out)
				}
			}
		}
		for _, b := range blocks {
			if n := strings.Count(out, string(renderMarker(b))); n != 1 {
				t.Fatalf("block %d appears %d times in %q", b.Index, n, out)
			}
		}
		_ = Headings(src)
	})
}

// unsafeScheme reports whether a browser would read v as a URL with a
// scheme that runs or embeds content: it drops the spaces, tabs and line
// breaks browsers ignore, then reads the scheme before the first ':' that
// comes ahead of any '/', '?' or '#'.
func unsafeScheme(v string) bool {
	v = strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, v)
	i := strings.IndexAny(v, ":/?#")
	if i <= 0 || v[i] != ':' {
		return false
	}
	switch strings.ToLower(v[:i]) {
	case "javascript", "vbscript", "data":
		return true
	}
	return false
}
