package formats

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestIndeed_MatchesGoldenFiles(t *testing.T) {
	testGoldenSamples(t, Indeed, "indeed")
}

// indeedJob wraps the inside of one <job> in a feed.
func indeedJob(inner string) []byte {
	return []byte("<source><job>" + inner + "</job></source>")
}

func TestIndeed_ReadsCDATAAndEntities(t *testing.T) {
	tests := []struct {
		name, job string
		field     func(Item) string
		want      string
	}{
		{"CDATA padded with whitespace", "<title>\n  <![CDATA[  Staff Nurse  ]]>\n</title>",
			func(it Item) string { return it.Title }, "Staff Nurse"},
		{"HTML entity inside CDATA in a text field", "<title><![CDATA[Nurse &ndash; A&amp;E]]></title>",
			func(it Item) string { return it.Title }, "Nurse – A&E"},
		{"HTML entity outside CDATA", "<title>Nurse&nbsp;&rsquo;s</title>",
			func(it Item) string { return it.Title }, "Nurse\u00a0’s"},
		{"HTML entity inside CDATA in the description stays HTML", "<description><![CDATA[<p>We&rsquo;re &lt;here&gt;</p>]]></description>",
			func(it Item) string { return it.Description }, "<p>We&rsquo;re &lt;here&gt;</p>"},
		{"escaped HTML description is decoded once", "<description>&lt;p&gt;A&amp;amp;E&lt;/p&gt;</description>",
			func(it Item) string { return it.Description }, "<p>A&amp;E</p>"},
		{"HTML escaped twice is decoded to HTML, not further", "<description>&amp;lt;p&amp;gt;A&amp;amp;amp;E&amp;lt;/p&amp;gt;</description>",
			func(it Item) string { return it.Description }, "<p>A&amp;E</p>"},
		{"inline HTML is written back out", "<description><p>One<br>two &amp; three</p></description>",
			func(it Item) string { return it.Description }, "<p>One<br>two &amp; three</p>"},
		{"a < that cannot start a tag", "<title>Under 5 < 6 years, <£30k, 3<4</title>",
			func(it Item) string { return it.Title }, "Under 5 < 6 years, <£30k, 3<4"},
		{"URL keeps its query", "<url><![CDATA[https://x.test/j?a=1&amp;copy=2]]></url>",
			func(it Item) string { return it.URL }, "https://x.test/j?a=1&copy=2"},
		{"requisitionid when referencenumber is blank", "<referencenumber> </referencenumber><requisitionid>R-9</requisitionid>",
			func(it Item) string { return it.Reference }, "R-9"},
		{"element names in any case", "<ReferenceNumber>REF-1</ReferenceNumber>",
			func(it Item) string { return it.Reference }, "REF-1"},
		{"odd dates are kept as text", "<expirationdate> 31/03/2125 </expirationdate>",
			func(it Item) string { return it.ClosingDate }, "31/03/2125"},
		{"mismatched case in the end tag", "<Title>Porter</title><city>Ely</city>",
			func(it Item) string { return it.Title + "|" + it.Locations[0].Town }, "Porter|Ely"},
		{"misspelt end tag ends the field", "<title>Porter</titel><city>Ely</city>",
			func(it Item) string { return it.Title + "|" + it.Locations[0].Town }, "Porter|Ely"},
		{"unclosed field is closed by the job's end", "<city>Ely</city><title>Porter",
			func(it Item) string { return it.Title + "|" + it.Locations[0].Town }, "Porter|Ely"},
		{"a <link> element keeps its text", "<link>https://x.test/1</link><title>Porter</title>",
			func(it Item) string { return it.Title }, "Porter"},
		{"unknown and ignored elements", "<education>NVQ</education><experience>1y</experience><foo><bar/></foo><title>Porter</title>",
			func(it Item) string { return it.Title }, "Porter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := collect(Indeed, indeedJob(tt.job), Mapping{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 {
				t.Fatalf("got %d items, want 1: %+v", len(items), items)
			}
			checkItems(t, items)
			if got := tt.field(items[0]); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIndeed_ReadsDeclarationsStrictParsersReject(t *testing.T) {
	for _, decl := range []string{
		`<?xml version="1.1" encoding="UTF-8"?>`,
		`<?xml version = '1.0' encoding = 'utf-8' standalone = "yes" ?>`,
		`<?xml version="1.0" encoding="utf-16"?>`, // a UTF-16 label on UTF-8 bytes
		`<?xml version="1.0" encoding="us-ascii"?>`,
		`<?XML version="1.0"?>`,
		"\n\n  <?xml version=\"1.0\"?>",         // declaration not at the very start
		`<?xml version="1.0" encoding="utf-8">`, // no closing ?
		`<?xml version="1.0" encoding="made-up-charset"?>`,
	} {
		t.Run(decl, func(t *testing.T) {
			items, err := collect(Indeed, []byte(decl+"\n<source><job><title>Porter</title></job></source>"), Mapping{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 || items[0].Title != "Porter" {
				t.Errorf("got %+v", items)
			}
		})
	}
}

func TestIndeed_MalformedDocumentsAreErrMalformed(t *testing.T) {
	tests := []struct {
		name, doc string
		items     int    // emitted before the error
		mention   string // in the error
	}{
		{"empty", "", 0, "no <source>"},
		{"HTML error page", "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", 0, "no <source>"},
		{"JSON", `[{"title": "Porter"}]`, 0, "no <source>"},
		{"NHS Jobs XML", "<nhsJobs><vacancyDetails><title>x</title></vacancyDetails></nhsJobs>", 0, "no <source>"},
		{"syntax error before any job", "<source>\n<job>\n<title>Porter</title>\n<title <</job></source>", 0, "line 4"},
		{"syntax error midway", "<source><job><title>A</title></job>\n<job><title>B</title></job>\n<job><title <<</job></source>", 2, "line 3"},
		{"cut short inside a tag", "<source><job><title>A</title></job><job><title>B</tit", 1, "unexpected EOF"},
		{"cut short inside a job", "<source><job><title>A</title></job><job><title>B</title>", 1, "ends inside <job>"},
		{"cut short after the last job", "<source><job><title>A</title></job>", 1, "ends inside <source>"},
		{"invalid character reference", "<source><job><title>A&#0;B</title></job></source>", 0, "illegal character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := collect(Indeed, []byte(tt.doc), Mapping{}, nil)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("err = %q, want it to mention %q", err, tt.mention)
			}
			if len(items) != tt.items {
				t.Errorf("emitted %d items before failing, want %d", len(items), tt.items)
			}
		})
	}
}

func TestIndeed_EmptySourceIsAnEmptyFeed(t *testing.T) {
	items, err := collect(Indeed, []byte("<source><publisher>x</publisher></source>"), Mapping{}, nil)
	if err != nil || len(items) != 0 {
		t.Errorf("got %d items, err %v; want none and no error", len(items), err)
	}
}

// encoding/xml ignores DTDs: entities a document declares are never
// expanded, so a billion laughs stays nine characters.
func TestIndeed_BillionLaughsDoesNotExpand(t *testing.T) {
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0"?><!DOCTYPE source [<!ENTITY lol0 "lol">`)
	for i := 1; i <= 9; i++ {
		doc.WriteString(`<!ENTITY lol` + string(rune('0'+i)) + ` "`)
		for range 10 {
			doc.WriteString(`&lol` + string(rune('0'+i-1)) + `;`)
		}
		doc.WriteString(`">`)
	}
	doc.WriteString(`]><source><job><title>&lol9;</title><description>&lol9;&lol9;</description></job></source>`)

	start := time.Now()
	items, err := collect(Indeed, []byte(doc.String()), Mapping{}, nil)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("took %v", elapsed)
	}
	if err != nil {
		return // refusing the document is fine too
	}
	for _, it := range items {
		if len(it.Title) > 100 || len(it.Description) > 100 {
			t.Fatalf("entity expanded: title %d bytes, description %d bytes", len(it.Title), len(it.Description))
		}
	}
	if len(items) != 1 || items[0].Title != "&lol9;" {
		t.Errorf("got %+v, want the entity left as written", items)
	}
}

func TestIndeed_StopsWhenContextIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	doc := strings.NewReader("<source>" + strings.Repeat("<job><title>Porter</title></job>", 10) + "</source>")
	emitted := 0
	err := Indeed(ctx, doc, Mapping{}, nil, func(Item) error {
		emitted++
		if emitted == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || emitted != 2 {
		t.Errorf("emitted %d, err %v; want 2 and context.Canceled", emitted, err)
	}
}

func TestIndeed_ReturnsEmitErrorsAsIs(t *testing.T) {
	stop := errors.New("stop")
	err := Indeed(context.Background(), strings.NewReader("<source><job/><job/></source>"), Mapping{}, nil,
		func(Item) error { return stop })
	if err != stop {
		t.Errorf("err = %v, want the emit error itself", err)
	}
}

func TestIndeed_TellsReadErrorsFromMalformedFeeds(t *testing.T) {
	broken := errors.New("connection reset")
	r := &failingReader{data: "<source><job><title>A</title></job><job><ti", err: broken}
	err := Indeed(context.Background(), r, Mapping{}, nil, func(Item) error { return nil })
	if !errors.Is(err, broken) || errors.Is(err, ErrMalformed) {
		t.Errorf("err = %v, want the read error and not ErrMalformed", err)
	}
}

// failingReader returns data, then err.
type failingReader struct {
	data string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}
