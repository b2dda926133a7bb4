package formats

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestJSON_MatchesGoldenFiles(t *testing.T) {
	testGoldenSamples(t, JSON, "json")
}

func TestJSON_DecodesEntitiesOnce(t *testing.T) {
	m := Mapping{Fields: map[string]string{"title": "t", "description": "d", "employer": "e"}}
	doc := `[{"t": "A&amp;amp;E &ndash; Nights", "d": "&lt;p&gt;A&amp;amp;E&lt;/p&gt;", "e": "Barts &amp; The London"},
	         {"t": "A&E", "d": "<p>5 &lt; 6 &amp; raw</p>"}]`
	items, err := collect(JSON, []byte(doc), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Item{
		{Position: 1, Title: "A&amp;E – Nights", Description: "<p>A&amp;E</p>", Employer: "Barts & The London"},
		{Position: 2, Title: "A&E", Description: "<p>5 &lt; 6 &amp; raw</p>"},
	}
	for i := range want {
		if items[i].Title != want[i].Title || items[i].Description != want[i].Description || items[i].Employer != want[i].Employer {
			t.Errorf("item %d = %+v, want %+v", i+1, items[i], want[i])
		}
	}
}

func TestJSON_MalformedDocumentsAreErrMalformed(t *testing.T) {
	title := map[string]string{"title": "title"}
	tests := []struct {
		name, doc string
		fields    map[string]string
		items     int
		mention   string
	}{
		{"empty", "", title, 0, "empty"},
		{"an object without a root", `{"jobs": []}`, title, 0, "set the mapping's root"},
		{"a string", `"jobs"`, title, 0, "expected an array"},
		{"root missing", `{"data": []}`, map[string]string{"root": "jobs", "title": "title"}, 0, `no array at "jobs"`},
		{"root not an array", `{"jobs": {"a": 1}}`, map[string]string{"root": "jobs", "title": "title"}, 0, `no array at "jobs"`},
		{"syntax error midway", `[{"title": "A"}, {"title": "B",, }]`, title, 1, "invalid character"},
		{"cut short", `[{"title": "A"}, {"title": "B"}`, title, 2, "ends early"},
		{"cut short in a wrapper", `{"jobs": [{"title": "A"}`, map[string]string{"root": "jobs", "title": "title"}, 1, "ends early"},
		{"content after the array", `[{"title": "A"}] [{"title": "B"}]`, title, 1, "after the vacancies"},
		{"HTML", `<!DOCTYPE html><html>`, title, 0, "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := collect(JSON, []byte(tt.doc), Mapping{Fields: tt.fields}, nil)
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.mention) {
				t.Fatalf("err = %v; want ErrMalformed mentioning %q", err, tt.mention)
			}
			if len(items) != tt.items {
				t.Errorf("emitted %d items first, want %d", len(items), tt.items)
			}
		})
	}
}

func TestJSON_ReadsNestedRoots(t *testing.T) {
	doc := `{"result": {"total": 1, "items": [{"title": "Porter"}], "more": [[{}]]}}`
	items, err := collect(JSON, []byte(doc), Mapping{Fields: map[string]string{"root": "result.items", "title": "title"}}, nil)
	if err != nil || len(items) != 1 || items[0].Title != "Porter" {
		t.Errorf("got %+v, err %v", items, err)
	}
}

// The parser must emit each element as soon as it is read: a feed that
// breaks off midway has already handed over what came before.
func TestJSON_StreamsOneObjectAtATime(t *testing.T) {
	broken := errors.New("connection reset")
	r := &failingReader{data: `[{"title": "A"}, {"title": "B"}, {"ti`, err: broken}
	var titles []string
	err := JSON(context.Background(), r, Mapping{Fields: map[string]string{"title": "title"}}, nil,
		func(it Item) error { titles = append(titles, it.Title); return nil })
	if !errors.Is(err, broken) || strings.Join(titles, ",") != "A,B" {
		t.Errorf("got %v, err %v; want A,B then the read error", titles, err)
	}
}

var _ io.Reader = (*failingReader)(nil)
