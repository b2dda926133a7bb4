package normalise

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// collapseSpace trims s, turns every run of whitespace or control
// characters into one space and drops invalid UTF-8.
func collapseSpace(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

// truncateAtWord shortens s to at most limit bytes, cutting at a space
// where one is near and ending with "…".
func truncateAtWord(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const ellipsis = "…"
	cut := limit - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if space := strings.LastIndexByte(s[:cut], ' '); space > cut/2 {
		cut = space
	}
	return strings.TrimRight(s[:cut], " ,.;:-–") + ellipsis
}

// words reduces text to lower-case words separated by single spaces, with
// a space at each end, so phrases match whole words only: " ot " is in
// " band 5 ot " but not in " pivot ". "&" becomes "and".
func words(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == '&':
			b.WriteString(" and ")
		case r == '\'' || r == '’':
			// dropped: "Doctor's Receptionist" reads as "doctors receptionist"
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return " " + strings.Join(strings.Fields(b.String()), " ") + " "
}

// hasPhrase reports whether phrase occurs as whole words in w (from words).
// A phrase ending in "*" matches any word starting so: "phlebotom*".
func hasPhrase(w, phrase string) bool {
	if stem, ok := strings.CutSuffix(phrase, "*"); ok {
		return strings.Contains(w, " "+stem)
	}
	return strings.Contains(w, " "+phrase+" ")
}

// firstPhrase returns the value of the first phrase found in w.
func firstPhrase(w string, table []phraseValue) (string, bool) {
	for _, p := range table {
		if hasPhrase(w, p.phrase) {
			return p.value, true
		}
	}
	return "", false
}

// phraseValue maps words as written (already in words form, without the
// surrounding spaces) to one of our slugs.
type phraseValue struct{ phrase, value string }

// titleCase turns an all-capitals name into "Kings Lynn" style; names with
// any lower-case letter are left as the feed wrote them.
func titleCase(s string) string {
	if strings.ToUpper(s) != s || strings.ToLower(s) == s {
		return s
	}
	var b strings.Builder
	startOfWord := true
	for _, r := range s {
		if startOfWord {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		startOfWord = unicode.IsSpace(r) || r == '-' || r == '(' || r == '/'
	}
	return b.String()
}
