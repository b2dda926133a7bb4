// Package markdown turns markdown written by recruiters, feeds and editors
// into HTML that is safe to put on a page (goldmark, then bluemonday), and
// into plain text for search. For content pages it also finds live blocks
// (vacancy lists, career pathways) and checks their parameters; the caller
// fetches and renders what they show. It must not fetch anything or know HTTP.
package markdown

import (
	"bytes"
	"html"
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	engine = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Typographer))
	// Raw HTML in markdown is dropped by goldmark (no WithUnsafe); the
	// policy is the second line of defence and also strips javascript: links.
	policy   = bluemonday.UGCPolicy().AddTargetBlankToFullyQualifiedLinks(false)
	stripAll = bluemonday.StrictPolicy()
	// Keeps words in neighbouring blocks apart once tags are gone.
	blockEnds = strings.NewReplacer("</p>", " </p>", "</li>", " </li>", "<br>", " ", "</h", " </h", "</td>", " </td>")
)

// ToHTML renders markdown to sanitised HTML.
func ToHTML(source string) template.HTML {
	var buf bytes.Buffer
	if err := engine.Convert([]byte(source), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(source))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

// ToText renders markdown to plain text with whitespace collapsed. The
// strict policy removes every tag, so no other sanitising pass is needed.
func ToText(source string) string {
	var buf bytes.Buffer
	if err := engine.Convert([]byte(source), &buf); err != nil {
		return strings.Join(strings.Fields(source), " ")
	}
	text := html.UnescapeString(stripAll.Sanitize(blockEnds.Replace(buf.String())))
	return strings.Join(strings.Fields(text), " ")
}

// Excerpt is the first sentences of text up to about limit characters,
// cut at a word boundary.
func Excerpt(text string, limit int) string {
	if len(text) <= limit {
		return text
	}
	cut := strings.LastIndexByte(text[:limit], ' ')
	if cut < limit/2 {
		cut = limit
	}
	return strings.TrimRight(text[:cut], " ,.;:") + "…"
}
