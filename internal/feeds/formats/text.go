package formats

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// plain returns a plain-text field (title, employer, salary, dates...)
// trimmed, with HTML entities decoded once. Feeds escape text for HTML in
// places the container does not (JSON strings, XML CDATA): "A&amp;E",
// "&pound;24,000", "We&rsquo;re".
func plain(s string) string {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '&') >= 0 {
		s = strings.TrimSpace(html.UnescapeString(s))
	}
	return s
}

// markup returns an HTML field (the description) trimmed. HTML is left as
// sent, entities included; only text that was escaped one level too many
// ("&lt;p&gt;Hello&lt;/p&gt;" with no real tag in it) is decoded, once.
func markup(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsRune(s, '<') && strings.Contains(s, "&lt;") {
		s = strings.TrimSpace(html.UnescapeString(s))
	}
	return s
}

// link returns a URL field trimmed with "&amp;" decoded. Full entity
// decoding would turn "?a=1&copy=2" into "?a=1©=2".
func link(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.TrimSpace(s), "&amp;", "&"))
}

// firstNonEmpty returns the first argument that is not empty.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// joinNonEmpty joins the non-empty values with sep, skipping repeats.
func joinNonEmpty(sep string, values ...string) string {
	var kept []string
	for _, v := range values {
		if v == "" || contains(kept, v) {
			continue
		}
		kept = append(kept, v)
	}
	return strings.Join(kept, sep)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// emptyLocation reports whether l holds nothing.
func emptyLocation(l Location) bool {
	return l == Location{}
}

// readRecorder remembers the first error the underlying reader returned,
// so a parser can tell a broken connection from a broken document.
type readRecorder struct {
	r   io.Reader
	err error
}

func (rr *readRecorder) Read(p []byte) (int, error) {
	n, err := rr.r.Read(p)
	if err != nil && err != io.EOF && rr.err == nil {
		rr.err = err
	}
	return n, err
}

// malformed wraps a parse failure in ErrMalformed, unless reading the feed
// itself failed: that is returned as a read error instead.
func malformed(format string, rr *readRecorder, err error) error {
	if rr != nil && rr.err != nil {
		return fmt.Errorf("%s: reading the feed: %w", format, rr.err)
	}
	return fmt.Errorf("%w: %s: %v", ErrMalformed, format, err)
}
