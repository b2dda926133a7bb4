package normalise

import (
	"html"
	"regexp"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"github.com/microcosm-cc/bluemonday"
)

var (
	// descriptionPolicy keeps the structure job adverts use and nothing
	// that runs or loads: no scripts, styles, images, iframes, event
	// handlers or javascript: links. Stripped tags leave a space so
	// "<span>Band</span><span>5</span>" does not become "Band5".
	descriptionPolicy = func() *bluemonday.Policy {
		p := bluemonday.NewPolicy()
		p.AllowElements("p", "br", "div", "ul", "ol", "li", "strong", "em", "b", "i", "h2", "h3", "h4",
			"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td")
		p.AllowAttrs("href").OnElements("a")
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireParseableURLs(true)
		p.AddSpaceWhenStrippingTag(true)
		return p
	}()
	stripTags = bluemonday.StrictPolicy()

	toMarkdown = converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		table.NewTablePlugin(),
	))

	htmlTag     = regexp.MustCompile(`<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z][a-zA-Z0-9]*|!--)[^>]*>`)
	escapedTag  = regexp.MustCompile(`(?i)&lt;/?(?:p|br|ul|ol|li|div|span|strong|b|em|i|h[1-6]|table|tr|td)\b`)
	blankLines  = regexp.MustCompile(`\n[ \t]*\n\s*`)
	extraBreaks = regexp.MustCompile(`\n{3,}`)
)

// Description turns a feed's description into sanitised markdown. HTML is
// cleaned (see descriptionPolicy) then converted; HTML that arrived escaped
// ("&lt;p&gt;", as some JSON feeds send it) is unescaped first; text with
// no tags is paragraphs split on blank lines, its line breaks kept.
func Description(source string) string {
	source = strings.ToValidUTF8(strings.ReplaceAll(source, "\r\n", "\n"), "")
	if strings.TrimSpace(source) == "" {
		return ""
	}
	if !htmlTag.MatchString(source) {
		if escapedTag.MatchString(source) {
			source = html.UnescapeString(source)
		} else {
			source = textToHTML(source)
		}
	}
	clean := descriptionPolicy.Sanitize(source)
	markdown, err := toMarkdown.ConvertString(clean)
	if err != nil { // the converter reports misconfiguration, not bad input; plain text is still right
		markdown = html.UnescapeString(stripTags.Sanitize(clean))
	}
	markdown = strings.ReplaceAll(markdown, "\u00a0", " ")
	return strings.TrimSpace(extraBreaks.ReplaceAllString(markdown, "\n\n"))
}

// textToHTML makes paragraphs of plain text so it goes through the same
// converter, which escapes what markdown would otherwise read as syntax.
func textToHTML(text string) string {
	var b strings.Builder
	for _, paragraph := range blankLines.Split(strings.TrimSpace(text), -1) {
		lines := strings.Split(paragraph, "\n")
		for i, line := range lines {
			lines[i] = html.EscapeString(strings.TrimSpace(line))
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>") + "</p>\n")
	}
	return b.String()
}
