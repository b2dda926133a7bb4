package formats

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxXMLDepth bounds element nesting; real feeds stay under 20.
const maxXMLDepth = 512

// xmlShape names a format's root and record elements (lower case).
type xmlShape struct {
	format string // for messages: "indeed"
	root   string // "source"
	record string // "job"
}

// decodeXMLRecords streams r and calls each for every record element,
// wherever it sits, decoded one at a time with DecodeElement. Element names
// match case-insensitively. A document with neither the root nor a record
// is ErrMalformed, and so is a syntax error anywhere: items already passed
// to each stand, and the runner decides.
func decodeXMLRecords(ctx context.Context, r io.Reader, shape xmlShape, each func(el *element, line int) error) error {
	rr := &readRecorder{r: r}
	raw := xml.NewDecoder(openXML(rr))
	raw.Strict = false
	raw.AutoClose = xml.HTMLAutoClose // RawToken ignores it: tagBalancer applies the same list
	raw.Entity = xml.HTMLEntity
	// openXML has already turned the text into UTF-8 and dropped the
	// declaration; a second declaration later on must not decode it twice.
	raw.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	balancer := &tagBalancer{raw: raw}
	dec := xml.NewTokenDecoder(balancer)

	sawRoot, records := false, 0
	for tokens := 1; ; tokens++ {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return malformed(shape.format, rr, atLine(err, raw))
		}
		if tokens%1024 == 0 && ctx.Err() != nil {
			return ctx.Err() // a long stretch with no records
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch strings.ToLower(start.Name.Local) {
		case shape.root:
			sawRoot = true
		case shape.record:
			line, _ := raw.InputPos()
			var el element
			if err := dec.DecodeElement(&el, &start); err != nil {
				return malformed(shape.format, rr, atLine(err, raw))
			}
			records++
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := each(&el, line); err != nil {
				return err
			}
		}
	}
	if rr.err != nil {
		return malformed(shape.format, rr, rr.err)
	}
	if records == 0 && !sawRoot {
		return fmt.Errorf("%w: %s: no <%s> or <%s> elements: is this a %s feed?",
			ErrMalformed, shape.format, shape.root, shape.record, shape.format)
	}
	return nil
}

// atLine adds the decoder's line to errors that do not carry one.
func atLine(err error, raw *xml.Decoder) error {
	var syntax *xml.SyntaxError
	if errors.As(err, &syntax) {
		return err
	}
	line, _ := raw.InputPos()
	return fmt.Errorf("line %d: %w", line, err)
}

// tagBalancer reads raw tokens from a sloppy document and hands out a
// balanced stream that xml.Decoder's Token and DecodeElement accept.
// Go's non-strict mode alone does not do: one mismatched end tag closes
// every element above it and then fails. Here:
//   - </Title> closes <title> (names match case-insensitively);
//   - an end tag for an element further out closes the ones inside it
//     (<description><p>Text</description>);
//   - a stray HTML end tag (</br>, </p>) with nothing to close is dropped;
//   - any other end tag with nothing to close ends the innermost element,
//     taking it for a misspelling (<title>Nurse</titel>);
//   - HTML void elements (<br>, <img>) close themselves unless their own end
//     tag follows, so <link>https://...</link> still holds its text;
//   - the document ending with elements open is a syntax error: a feed cut
//     short must not pass for a complete one.
type tagBalancer struct {
	raw     *xml.Decoder
	open    []xml.Name  // open elements, outermost first
	out     []xml.Token // balanced tokens waiting to be handed out
	peeked  []xml.Token // raw tokens read ahead, not yet balanced
	peekErr error       // the error that ended a read-ahead
}

func (b *tagBalancer) Token() (xml.Token, error) {
	for len(b.out) == 0 {
		tok, err := b.next()
		if err != nil {
			return nil, err
		}
		b.balance(tok)
	}
	tok := b.out[0]
	b.out = b.out[1:]
	return tok, nil
}

func (b *tagBalancer) next() (xml.Token, error) {
	if len(b.peeked) > 0 {
		tok := b.peeked[0]
		b.peeked = b.peeked[1:]
		return tok, nil
	}
	var tok xml.Token
	err := b.peekErr
	if err == nil {
		tok, err = b.raw.RawToken()
	}
	if err == io.EOF && len(b.open) > 0 {
		line, _ := b.raw.InputPos()
		return nil, &xml.SyntaxError{Line: line,
			Msg: fmt.Sprintf("the document ends inside <%s>", b.open[len(b.open)-1].Local)}
	}
	if err != nil {
		return nil, err
	}
	return xml.CopyToken(tok), nil
}

// peek reads the next raw token without consuming it; nil at an error.
func (b *tagBalancer) peek(i int) xml.Token {
	for len(b.peeked) <= i && b.peekErr == nil {
		tok, err := b.raw.RawToken()
		if err != nil {
			b.peekErr = err
			break
		}
		b.peeked = append(b.peeked, xml.CopyToken(tok))
	}
	if i < len(b.peeked) {
		return b.peeked[i]
	}
	return nil
}

func (b *tagBalancer) balance(tok xml.Token) {
	switch t := tok.(type) {
	case xml.StartElement:
		if len(b.open) >= maxXMLDepth {
			b.peeked, b.peekErr = nil, fmt.Errorf("elements nested more than %d deep", maxXMLDepth)
			return
		}
		b.out = append(b.out, t)
		if isVoidElement(t.Name.Local) && !b.endFollows(t.Name.Local) {
			b.out = append(b.out, xml.EndElement{Name: t.Name})
			return
		}
		b.open = append(b.open, t.Name)
	case xml.EndElement:
		b.close(t.Name.Local)
	default:
		b.out = append(b.out, tok)
	}
}

// endFollows reports whether the end tag of name comes next, maybe after
// some text.
func (b *tagBalancer) endFollows(name string) bool {
	isEnd := func(tok xml.Token) bool {
		end, ok := tok.(xml.EndElement)
		return ok && strings.EqualFold(end.Name.Local, name)
	}
	first := b.peek(0)
	if _, text := first.(xml.CharData); text {
		return isEnd(b.peek(1))
	}
	return isEnd(first)
}

func (b *tagBalancer) close(name string) {
	depth := -1
	for i := len(b.open) - 1; i >= 0; i-- {
		if strings.EqualFold(b.open[i].Local, name) {
			depth = i
			break
		}
	}
	switch {
	case depth >= 0:
	case len(b.open) == 0 || isHTMLElement(name):
		return // nothing it could close
	default:
		depth = len(b.open) - 1
	}
	for i := len(b.open) - 1; i >= depth; i-- {
		b.out = append(b.out, xml.EndElement{Name: b.open[i]})
	}
	b.open = b.open[:depth]
}

func isVoidElement(name string) bool {
	for _, void := range xml.HTMLAutoClose {
		if strings.EqualFold(name, void) {
			return true
		}
	}
	return false
}

// htmlElements are tags descriptions carry unescaped; a stray end tag of
// one of them is noise, not a misspelt field.
var htmlElements = strings.Fields(`a abbr b big blockquote br center code dd div dl dt em font
	h1 h2 h3 h4 h5 h6 hr i img li ol p pre s small span strike strong sub sup
	table tbody td tfoot th thead tr u ul`)

func isHTMLElement(name string) bool {
	return contains(htmlElements, strings.ToLower(name))
}

// element is one decoded XML element and everything inside it, in order.
type element struct {
	name    string // local name, lower case
	attrs   []xml.Attr
	content []node
}

// node is a run of text or a child element.
type node struct {
	text string
	el   *element
}

func (e *element) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	e.name = strings.ToLower(start.Name.Local)
	e.attrs = start.Attr
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			child := &element{}
			if err := d.DecodeElement(child, &t); err != nil {
				return err
			}
			e.content = append(e.content, node{el: child})
		case xml.CharData:
			e.content = append(e.content, node{text: string(t)})
		case xml.EndElement:
			return nil
		}
	}
}

// child returns the first child element called one of names, or nil.
func (e *element) child(names ...string) *element {
	for _, name := range names {
		for _, n := range e.content {
			if n.el != nil && n.el.name == name {
				return n.el
			}
		}
	}
	return nil
}

// children returns the child elements called name.
func (e *element) children(name string) []*element {
	var found []*element
	for _, n := range e.content {
		if n.el != nil && n.el.name == name {
			found = append(found, n.el)
		}
	}
	return found
}

// field returns the plain text of the first child called one of names.
func (e *element) field(names ...string) string {
	return plain(e.child(names...).text())
}

// text returns the text of e and everything inside it.
func (e *element) text() string {
	if e == nil {
		return ""
	}
	var sb strings.Builder
	e.writeText(&sb)
	return sb.String()
}

func (e *element) writeText(sb *strings.Builder) {
	for _, n := range e.content {
		if n.el != nil {
			n.el.writeText(sb)
		} else {
			sb.WriteString(n.text)
		}
	}
}

// ownText returns the text directly inside e, not inside its children.
func (e *element) ownText() string {
	var sb strings.Builder
	for _, n := range e.content {
		if n.el == nil {
			sb.WriteString(n.text)
		}
	}
	return sb.String()
}

// html returns e's content as HTML: CDATA or escaped text as it stands
// (it is HTML source already), or, when the feed put tags straight into
// the XML, those tags written back out.
func (e *element) html() string {
	if e == nil {
		return ""
	}
	var sb strings.Builder
	if !e.hasChildren() {
		e.writeText(&sb)
		return sb.String()
	}
	e.writeInner(&sb)
	return sb.String()
}

func (e *element) hasChildren() bool {
	for _, n := range e.content {
		if n.el != nil {
			return true
		}
	}
	return false
}

func (e *element) writeInner(sb *strings.Builder) {
	for _, n := range e.content {
		if n.el == nil {
			_ = xml.EscapeText(sb, []byte(n.text))
			continue
		}
		sb.WriteString("<" + n.el.name)
		for _, a := range n.el.attrs {
			sb.WriteString(" " + strings.ToLower(a.Name.Local) + `="`)
			_ = xml.EscapeText(sb, []byte(a.Value))
			sb.WriteString(`"`)
		}
		sb.WriteString(">")
		if isVoidElement(n.el.name) && len(n.el.content) == 0 {
			continue
		}
		n.el.writeInner(sb)
		sb.WriteString("</" + n.el.name + ">")
	}
}
