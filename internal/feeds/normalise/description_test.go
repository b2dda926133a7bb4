package normalise

import (
	"strings"
	"testing"
)

func TestDescription_RemovesWhatCouldRun(t *testing.T) {
	source := `<p onclick="steal()">Join our <b>ward</b> team.</p>
<script>alert("x")</script><style>p{display:none}</style>
<a href="javascript:alert(1)">Apply here</a> <a href="JaVaScRiPt:alert(1)">or here</a>
<img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe>
<a href="https://jobs.example.nhs.uk/apply?id=1" onmouseover="x()">Read more</a>`
	got := Description(source)
	for _, bad := range []string{"script", "alert", "steal", "onclick", "onerror", "onmouseover", "javascript", "iframe",
		"evil", "display:none", "<"} {
		if strings.Contains(strings.ToLower(got), strings.ToLower(bad)) {
			t.Errorf("Description kept %q:\n%s", bad, got)
		}
	}
	for _, good := range []string{"Join our **ward** team.", "Apply here", "[Read more](https://jobs.example.nhs.uk/apply?id=1)"} {
		if !strings.Contains(got, good) {
			t.Errorf("Description lost %q:\n%s", good, got)
		}
	}
}

func TestDescription_KeepsTheStructureOfAnAdvert(t *testing.T) {
	source := `<h2>About the role</h2><p>You will care for <em>adult</em> patients.</p>
<ul><li>NMC registration</li><li>Team work</li></ul><ol><li>First</li></ol>
<table><tr><th>Shift</th><th>Hours</th></tr><tr><td>Early</td><td>7.5</td></tr></table>
<p>Email <a href="mailto:jobs@example.nhs.uk">jobs@example.nhs.uk</a></p>`
	got := Description(source)
	for _, want := range []string{"## About the role", "*adult*", "- NMC registration", "1. First", "| Shift | Hours |",
		"[jobs@example.nhs.uk](mailto:jobs@example.nhs.uk)"} {
		if !strings.Contains(got, want) {
			t.Errorf("Description lacks %q:\n%s", want, got)
		}
	}
}

func TestDescription_MakesParagraphsOfPlainText(t *testing.T) {
	got := Description("We are hiring.\nFull training given.\n\n\n* Not a list\n# Not a heading\n\nA&E experience welcome.")
	want := "We are hiring.  \nFull training given.\n\n\\* Not a list  \n\\# Not a heading\n\nA&E experience welcome."
	if got != want {
		t.Errorf("Description(plain text) =\n%q\nwant\n%q", got, want)
	}
}

func TestDescription_UnescapesHTMLThatArrivedEscaped(t *testing.T) {
	got := Description("&lt;p&gt;Work in A&amp;amp;E.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Nights&lt;/li&gt;&lt;/ul&gt;")
	if want := "Work in A&E.\n\n- Nights"; got != want {
		t.Errorf("Description(escaped HTML) = %q, want %q", got, want)
	}
}

func TestDescription_KeepsBlocksApart(t *testing.T) {
	got := Description("<div>Para one</div><div>Para two</div><span>Band</span><span>5</span>")
	if !strings.Contains(got, "Para one\n\nPara two") || !strings.Contains(got, "Band 5") {
		t.Errorf("Description glued blocks or words together: %q", got)
	}
}
