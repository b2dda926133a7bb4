package markdown

import (
	"strings"
	"testing"
)

func TestToHTML_StripsScriptsHandlersAndJavascriptLinks(t *testing.T) {
	for _, source := range []string{
		"Hello <script>alert(1)</script>",
		`<img src=x onerror="alert(1)">`,
		"[click](javascript:alert(1))",
		`<a href="javascript:alert(1)" onclick="alert(2)">x</a>`,
		"<iframe src=https://evil.example></iframe>",
	} {
		out := strings.ToLower(string(ToHTML(source)))
		for _, bad := range []string{"<script", "onerror", "onclick", "javascript:", "<iframe"} {
			if strings.Contains(out, bad) {
				t.Errorf("ToHTML(%q) = %q, still contains %s", source, out, bad)
			}
		}
	}
}

func TestToHTML_RendersListsAndTables(t *testing.T) {
	out := string(ToHTML("## Duties\n\n- care\n- kindness\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"))
	for _, want := range []string{"<h2", "<li>care</li>", "<table>"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in %s", want, out)
		}
	}
}

func TestToText_KeepsWordsApartAndDecodesEntities(t *testing.T) {
	got := ToText("# About us\n\nWe care for A&amp;E patients.\n\n- Nights\n- Weekends")
	if got != "About us We care for A&E patients. Nights Weekends" {
		t.Errorf("got %q", got)
	}
}

func TestExcerpt_CutsAtAWord(t *testing.T) {
	got := Excerpt("Join our friendly ward team in Wisbech today", 20)
	if got != "Join our friendly…" {
		t.Errorf("got %q", got)
	}
}
