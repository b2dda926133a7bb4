package markdown

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// pageEngine differs from engine (vacancy descriptions) only by heading
// ids and live block placeholders; the sanitiser policy is the same.
var pageEngine = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Typographer),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(placeholderRenderer{}, 100))),
)

// reservedIDs are ids the layout uses; a heading that would take one gets
// a suffix instead, so the skip link and error summary keep working.
var reservedIDs = []string{"maincontent", "toggle-menu", "error-summary-title", "flash-title"}

// Heading is an h2 of a page, for an "on this page" list.
type Heading struct {
	ID, Text string
}

// RenderPage renders page markdown to sanitised HTML: GFM, heading ids
// unique within the page, and typographic quotes, dashes and ellipses.
// Each live block is replaced, after sanitising, by what render returns
// for it, including blocks whose Err is set; so render's output is trusted
// and must be built from templates, never from the editor's raw text. A nil
// render drops the blocks.
func RenderPage(src string, render func(Block) template.HTML) template.HTML {
	source := []byte(src)
	doc := parsePage(source)
	fences, blocks := liveBlocks(doc, source)
	// The nonce is new on every render so an editor cannot write a
	// paragraph that is mistaken for a placeholder.
	nonce := rand.Text()
	replacements := make([]string, 0, 2*len(blocks))
	for i, fence := range fences {
		marker := fmt.Sprintf("LIVEBLOCK-%s-%d", nonce, i)
		fence.Parent().ReplaceChild(fence.Parent(), fence, &placeholder{marker: marker})
		var out template.HTML
		if render != nil {
			out = render(blocks[i])
		}
		replacements = append(replacements, "<p>"+marker+"</p>", string(out))
	}
	var buf bytes.Buffer
	if err := pageEngine.Renderer().Render(&buf, source, doc); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	safe := policy.Sanitize(buf.String())
	if len(replacements) == 0 {
		return template.HTML(safe)
	}
	// One pass, so a block's output is never scanned for markers again.
	return template.HTML(strings.NewReplacer(replacements...).Replace(safe))
}

// Headings returns the page's h2 headings with their ids, read from the
// rendered page so they match it exactly. Live blocks are left out.
func Headings(src string) []Heading {
	page := RenderPage(src, nil)
	tokens := html.NewTokenizer(strings.NewReader(string(page)))
	var headings []Heading
	var current *Heading
	var words strings.Builder
	for {
		switch tokens.Next() {
		case html.ErrorToken:
			return headings
		case html.StartTagToken:
			if name, _ := tokens.TagName(); string(name) == "h2" {
				current = &Heading{ID: attribute(tokens, "id")}
				words.Reset()
			}
		case html.TextToken:
			if current != nil {
				words.Write(tokens.Text())
			}
		case html.EndTagToken:
			if name, _ := tokens.TagName(); string(name) == "h2" && current != nil {
				current.Text = strings.Join(strings.Fields(words.String()), " ")
				if current.ID != "" {
					headings = append(headings, *current)
				}
				current = nil
			}
		}
	}
}

func attribute(tokens *html.Tokenizer, name string) string {
	for {
		key, value, more := tokens.TagAttr()
		if string(key) == name {
			return string(value)
		}
		if !more {
			return ""
		}
	}
}

func parsePage(source []byte) ast.Node {
	ids := newHeadingIDs()
	for _, id := range reservedIDs {
		ids.Put([]byte(id))
	}
	ctx := parser.NewContext(parser.WithIDs(ids))
	return pageEngine.Parser().Parse(text.NewReader(source), parser.WithContext(ctx))
}

// headingIDs makes ids like goldmark's own (ASCII letters and digits kept,
// spaces become hyphens, other characters dropped) but without runs of
// hyphens, so `"Pay" -- and hours` becomes pay-and-hours, not pay----and-hours.
type headingIDs struct {
	taken map[string]bool
	next  map[string]int // the suffix to try next for a base, so many equal headings stay cheap
}

func newHeadingIDs() *headingIDs {
	return &headingIDs{taken: map[string]bool{}, next: map[string]int{}}
}

func (ids *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	var id []byte
	for _, c := range value {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			id = append(id, c)
		case 'A' <= c && c <= 'Z':
			id = append(id, c+'a'-'A')
		case c == ' ' || c == '\t' || c == '-' || c == '_':
			if len(id) > 0 && id[len(id)-1] != '-' {
				id = append(id, '-')
			}
		}
	}
	base := strings.TrimRight(string(id), "-")
	if base == "" {
		base = "heading"
	}
	unique := base
	for ids.taken[unique] {
		ids.next[base]++
		unique = fmt.Sprintf("%s-%d", base, ids.next[base])
	}
	ids.taken[unique] = true
	return []byte(unique)
}

func (ids *headingIDs) Put(value []byte) {
	ids.taken[string(value)] = true
}

// placeholder stands in the AST for a live block until after sanitising.
type placeholder struct {
	ast.BaseBlock
	marker string
}

var kindPlaceholder = ast.NewNodeKind("LiveBlockPlaceholder")

func (n *placeholder) Kind() ast.NodeKind { return kindPlaceholder }

func (n *placeholder) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Marker": n.marker}, nil)
}

type placeholderRenderer struct{}

func (placeholderRenderer) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(kindPlaceholder, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<p>" + n.(*placeholder).marker + "</p>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}
