package formats

import (
	"bufio"
	"bytes"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of a document is looked at to guess its encoding.
const sniffSize = 64 << 10

// openText returns r as clean UTF-8 (see decodeText), without a byte-order
// mark. CSV, JSON and HTML documents come through here.
func openText(r io.Reader) io.Reader {
	br, decoded := stripBOM(bufio.NewReaderSize(r, sniffSize))
	if decoded {
		return transform.NewReader(br, cleaner{})
	}
	return decodeText(br, "", cleaner{})
}

// openXML is openText for XML: it also removes the XML declaration, after
// reading the encoding it declares. Go's decoder rejects declarations that
// real feeds send (version="1.1", a UTF-16 label on UTF-8 bytes), and the
// text it gets is UTF-8 by then anyway.
func openXML(r io.Reader) io.Reader {
	br, decoded := stripBOM(bufio.NewReaderSize(r, sniffSize))
	label, lines := skipXMLDeclaration(br)
	var text io.Reader
	if decoded {
		text = transform.NewReader(br, cleaner{xml: true})
	} else {
		text = decodeText(br, label, cleaner{xml: true})
	}
	// Line breaks in and before the declaration stay, so that error
	// messages and Item.Line count lines as an editor does.
	return io.MultiReader(strings.NewReader(strings.Repeat("\n", lines)), text)
}

// stripBOM drops a UTF-8 byte-order mark, or decodes UTF-16 when the
// document starts with a UTF-16 one (decoded is then true).
func stripBOM(br *bufio.Reader) (_ *bufio.Reader, decoded bool) {
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		return br, false
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		utf16 := xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, utf16), sniffSize), true
	}
	return br, false
}

var xmlEncoding = regexp.MustCompile(`(?i)encoding\s*=\s*["']?\s*([a-z0-9._:-]+)`)

// skipXMLDeclaration discards a leading <?xml ...?> (and any whitespace
// before it) and returns the encoding it names, "" when none, and how many
// line breaks it discarded.
func skipXMLDeclaration(br *bufio.Reader) (label string, lines int) {
	head, _ := br.Peek(1024)
	start := len(head) - len(bytes.TrimLeft(head, " \t\r\n"))
	rest := head[start:]
	if len(rest) < 6 || !strings.EqualFold(string(rest[:5]), "<?xml") ||
		!strings.ContainsRune(" \t\r\n?", rune(rest[5])) {
		return "", 0
	}
	end := bytes.Index(rest, []byte("?>"))
	if end >= 0 {
		end += 2
	} else if end = bytes.IndexByte(rest, '>'); end >= 0 {
		end++
	} else {
		return "", 0 // leave it for the decoder to report
	}
	if m := xmlEncoding.FindSubmatch(rest[:end]); m != nil {
		label = string(m[1])
	}
	lines = bytes.Count(head[:start+end], []byte("\n"))
	_, _ = br.Discard(start + end)
	return label, lines
}

// decodeText returns br as UTF-8. A declared single-byte encoding
// (windows-1252, iso-8859-1, ...) is decoded as declared; WHATWG's labels
// apply, so iso-8859-1 and us-ascii mean windows-1252 as browsers read
// them. Otherwise the text is taken as UTF-8, unless its first 64 KiB are
// not UTF-8 at all, which means Windows-1252. Either way the cleaner then
// reads stray non-UTF-8 bytes as Windows-1252.
func decodeText(br *bufio.Reader, label string, clean cleaner) io.Reader {
	label = strings.ToLower(strings.TrimSpace(label))
	if enc, err := htmlindex.Get(label); label != "" && err == nil {
		name, _ := htmlindex.Name(enc)
		// A UTF-16 label without a BOM is nearly always UTF-8 bytes from a
		// library that writes the label of the string type it started with.
		if name != "utf-8" && !strings.HasPrefix(name, "utf-16") {
			return transform.NewReader(br, transform.Chain(enc.NewDecoder(), clean))
		}
	}
	head, _ := br.Peek(sniffSize)
	if looksWindows1252(head, len(head) == sniffSize) {
		return transform.NewReader(br, transform.Chain(charmap.Windows1252.NewDecoder(), clean))
	}
	return transform.NewReader(br, clean)
}

// looksWindows1252 reports whether b has bytes that are not UTF-8 and no
// multi-byte UTF-8 sequence at all. more says b is cut from a longer text,
// so a sequence broken at its end does not count.
func looksWindows1252(b []byte, more bool) bool {
	invalid := false
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			if more && !utf8.FullRune(b) {
				break
			}
			invalid = true
		} else {
			return false
		}
		b = b[size:]
	}
	return invalid
}

// windows1252 maps bytes 0x80-0xFF to runes.
var windows1252 = func() (table [128]rune) {
	for i := range table {
		table[i] = charmap.Windows1252.DecodeByte(byte(0x80 + i))
	}
	return table
}()

// cleaner makes text valid UTF-8 that XML, CSV and JSON decoders accept and
// Postgres stores: bytes that are not UTF-8 are read as Windows-1252 (the
// usual reason a "UTF-8" feed is not), and control characters XML forbids
// (NUL, form feed, vertical tab...) and U+FFFE/U+FFFF become spaces.
type cleaner struct {
	transform.NopResetter
	// xml escapes a "<" that cannot start markup ("5 < 6", "<£30k"), which
	// Go's decoder rejects even when not strict.
	xml bool
}

func (c cleaner) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		b := src[nSrc]
		if b == '<' && c.xml {
			next := src[nSrc+1:]
			if !atEOF && (len(next) == 0 || next[0] >= utf8.RuneSelf && !utf8.FullRune(next)) {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if !startsMarkup(next) {
				if nDst+4 > len(dst) {
					return nDst, nSrc, transform.ErrShortDst
				}
				nDst += copy(dst[nDst:], "&lt;")
				nSrc++
				continue
			}
		}
		if b < utf8.RuneSelf {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				b = ' '
			}
			dst[nDst] = b
			nDst++
			nSrc++
			continue
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		switch {
		case r == utf8.RuneError && size == 1:
			if !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
			r = windows1252[b-0x80]
		case r == 0xFFFE || r == 0xFFFF:
			r = ' '
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	return nDst, nSrc, nil
}

// startsMarkup reports whether text after "<" can begin a tag, an end
// tag, a comment, CDATA or a processing instruction.
func startsMarkup(next []byte) bool {
	if len(next) == 0 {
		return false
	}
	if b := next[0]; b < utf8.RuneSelf {
		return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '_' || b == ':' ||
			b == '/' || b == '!' || b == '?'
	}
	r, _ := utf8.DecodeRune(next)
	return unicode.IsLetter(r)
}
