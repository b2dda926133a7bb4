package formats

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestByName_KnowsEveryFormat(t *testing.T) {
	for _, name := range []string{"indeed", "nhsjobs", "jsonld", "csv", "json"} {
		if p, ok := ByName(name); !ok || p == nil {
			t.Errorf("ByName(%q) = %v, %v", name, p, ok)
		}
	}
	if _, ok := ByName("rss"); ok {
		t.Error(`ByName("rss") found a parser`)
	}
}

// Reading a byte at a time splits UTF-8 sequences across reads; the text
// must come out the same.
func TestOpenText_DecodesTheSameWhateverTheReadSize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"UTF-8 with BOM", "\ufeffCafé £5 – ok", "Café £5 – ok"},
		{"Windows-1252", "Caf\xe9 \xa35 \x96 ok", "Café £5 – ok"},
		{"UTF-8 with stray 1252 bytes", "Caf\xc3\xa9 \xa35", "Café £5"},
		{"controls become spaces", "a\x00b\x0bc\td\r\ne", "a b c\td\r\ne"},
		{"UTF-16LE", "\xff\xfeC\x00a\x00f\x00\xe9\x00", "Café"},
		{"sequence cut at the end", "ok \xe2\x82", "ok â‚"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []io.Reader{strings.NewReader(tt.in), iotest.OneByteReader(strings.NewReader(tt.in))} {
				got, err := io.ReadAll(openText(r))
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != tt.want {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			}
		})
	}
}

// A Windows-1252 file whose first 64 KiB are plain ASCII is still read
// right: stray bytes later on are taken one at a time.
func TestOpenText_ReadsLate1252Bytes(t *testing.T) {
	in := append(bytes.Repeat([]byte("a"), sniffSize+10), []byte("\xa35")...)
	got, _ := io.ReadAll(openText(bytes.NewReader(in)))
	if !bytes.HasSuffix(got, []byte("£5")) {
		t.Errorf("got ...%q", got[len(got)-10:])
	}
}

// A "<" that cannot start markup is escaped for the XML decoder, however
// the reads split the text.
func TestOpenXML_EscapesStrayLessThan(t *testing.T) {
	in := "<?xml version=\"1.1\"?>\n<t>a < b <c/> <£5 <é/> 3<4</t><"
	want := "\n<t>a &lt; b <c/> &lt;£5 <é/> 3&lt;4</t>&lt;"
	for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
		got, err := io.ReadAll(openXML(r))
		if err != nil || string(got) != want {
			t.Errorf("got %q, %v; want %q", got, err, want)
		}
	}
}
