package formats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// JSON reads an array of vacancy objects, streamed one object at a time.
// Mapping.Fields names the key holding each field; a key may be a dotted
// path into nested objects ("location.town"), and a path through an array
// collects a value from each element ("sites.postcode"). Arrays of values
// in a place field are several places; in any other field they are joined
// with ", ". When the array is wrapped ({"jobs": [...]}), Fields["root"]
// names its key or dotted path. An element that is not an object is
// emitted with Problem set.
var JSON Parser = parseJSON

func parseJSON(ctx context.Context, r io.Reader, m Mapping, _ Fetch, emit func(Item) error) error {
	sources, _, err := fieldSources(m, "json")
	if err != nil {
		return err
	}
	rr := &readRecorder{r: r}
	dec := json.NewDecoder(openText(rr))
	dec.UseNumber()

	var root []string
	if key := strings.TrimSpace(m.Fields["root"]); key != "" {
		root = strings.Split(key, ".")
	}
	position := 0
	each := func() error {
		var element any
		if err := dec.Decode(&element); err != nil {
			return malformed("json", rr, jsonErr(err, dec))
		}
		position++
		it := Item{Problem: fmt.Sprintf("element %d is %s, not an object", position, jsonKind(element))}
		if obj, ok := element.(map[string]any); ok {
			values := map[string][]string{}
			for field, key := range sources {
				values[field] = lookupJSON(obj, key)
			}
			it = itemFromValues(values)
		}
		it.Position = position
		if err := ctx.Err(); err != nil {
			return err
		}
		return emit(it)
	}
	found, err := streamJSONArray(dec, root, each)
	if err != nil {
		if errors.Is(err, ErrMalformed) && rr.err != nil {
			return fmt.Errorf("json: reading the feed: %w", rr.err)
		}
		return err // malformed, or from emit or ctx as is
	}
	if !found {
		if len(root) == 0 {
			return fmt.Errorf("%w: json: the document is an object, not an array; set the mapping's root to the key that holds the vacancies", ErrMalformed)
		}
		return fmt.Errorf("%w: json: no array at %q", ErrMalformed, strings.Join(root, "."))
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed("json", rr, fmt.Errorf("unexpected content after the vacancies at byte %d", dec.InputOffset()))
	}
	return nil
}

// streamJSONArray reads one value and calls each for every element of the
// array at path inside it (the value itself when path is empty). found
// reports whether that array was there.
func streamJSONArray(dec *json.Decoder, path []string, each func() error) (found bool, err error) {
	tok, err := dec.Token()
	if err == io.EOF {
		return false, fmt.Errorf("%w: json: the document is empty", ErrMalformed)
	}
	if err != nil {
		return false, fmt.Errorf("%w: json: %v", ErrMalformed, jsonErr(err, dec))
	}
	delim, _ := tok.(json.Delim)
	switch {
	case len(path) == 0 && delim == '[':
		for dec.More() {
			if err := each(); err != nil {
				return true, err
			}
		}
		return true, closeJSON(dec, ']')
	case len(path) == 0 && delim != '{':
		return false, fmt.Errorf("%w: json: expected an array of vacancies, found %v", ErrMalformed, tok)
	case delim == '{':
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return found, fmt.Errorf("%w: json: %v", ErrMalformed, jsonErr(err, dec))
			}
			if len(path) > 0 && key == path[0] && !found {
				if found, err = streamJSONArray(dec, path[1:], each); err != nil {
					return found, err
				}
				continue
			}
			if err := skipJSON(dec); err != nil {
				return found, err
			}
		}
		return found, closeJSON(dec, '}')
	case delim == '[':
		return false, skipJSONContainer(dec)
	}
	return false, nil // a scalar where the path expected an object
}

// closeJSON consumes the end of the current array or object.
func closeJSON(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%w: json: %v", ErrMalformed, jsonErr(err, dec))
	}
	if tok != want {
		return fmt.Errorf("%w: json: expected %v at byte %d", ErrMalformed, want, dec.InputOffset())
	}
	return nil
}

// skipJSON reads past one value without keeping it.
func skipJSON(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%w: json: %v", ErrMalformed, jsonErr(err, dec))
	}
	if delim, ok := tok.(json.Delim); ok && (delim == '[' || delim == '{') {
		return skipJSONContainer(dec)
	}
	return nil
}

// skipJSONContainer reads to the end of the array or object just opened.
func skipJSONContainer(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: json: %v", ErrMalformed, jsonErr(err, dec))
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
	return nil
}

// jsonErr says where a decode error happened.
func jsonErr(err error, dec *json.Decoder) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("the document ends early, at byte %d", dec.InputOffset())
	}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("%v at byte %d", err, syntax.Offset)
	}
	return err
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "an array"
	}
	return "not an object"
}

// lookupJSON returns the values at key in obj. The key is a dotted path,
// and a key that itself holds dots ("closing.date") is found too.
func lookupJSON(obj map[string]any, key string) []string {
	return jsonPath(obj, strings.Split(key, "."))
}

func jsonPath(v any, path []string) []string {
	if len(path) == 0 {
		return jsonValues(v, nil)
	}
	switch t := v.(type) {
	case map[string]any:
		for i := len(path); i >= 1; i-- {
			if child, ok := t[strings.Join(path[:i], ".")]; ok {
				return jsonPath(child, path[i:])
			}
		}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, jsonPath(e, path)...)
		}
		return out
	}
	return nil
}

// jsonValues flattens v into text values; objects have none.
func jsonValues(v any, out []string) []string {
	switch t := v.(type) {
	case string:
		return append(out, t)
	case json.Number:
		return append(out, t.String())
	case bool:
		if t {
			return append(out, "true")
		}
		return append(out, "false")
	case []any:
		for _, e := range t {
			out = jsonValues(e, out)
		}
	}
	return out
}
