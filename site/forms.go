package site

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// form is a submitted (or prefilled) HTML form with its field errors, in the
// shape the form partials read: the user's input is always shown back.
type form struct {
	Values url.Values
	Errors map[string]string
	Order  []string // field ids in page order, for the error summary
}

func newForm(values url.Values, order ...string) *form {
	if values == nil {
		values = url.Values{}
	}
	return &form{Values: values, Errors: map[string]string{}, Order: order}
}

// Value is what the user typed in name.
func (f *form) Value(name string) string { return f.Values.Get(name) }

// Has reports whether a checkbox or radio with this value was chosen.
func (f *form) Has(name, value string) bool { return slices.Contains(f.Values[name], value) }

// Error is the message for a field, or "".
func (f *form) Error(name string) string { return f.Errors[name] }

// Fail records a message for a field, keeping the first one.
func (f *form) Fail(name, message string) {
	if _, ok := f.Errors[name]; !ok {
		f.Errors[name] = message
	}
}

// Merge adds domain validation errors, renaming fields where the form's
// ids differ from the domain's names.
func (f *form) Merge(errs map[string]string, rename map[string]string) {
	for field, msg := range errs {
		if to, ok := rename[field]; ok {
			field = to
		}
		f.Fail(field, msg)
	}
}

// OK reports whether no field failed.
func (f *form) OK() bool { return len(f.Errors) == 0 }

type fieldError struct{ Field, Message string }

// Summary lists the errors in page order, then any others alphabetically.
func (f *form) Summary() []fieldError {
	var list []fieldError
	seen := map[string]bool{}
	for _, name := range f.Order {
		if msg, ok := f.Errors[name]; ok {
			list = append(list, fieldError{name, msg})
			seen[name] = true
		}
	}
	var rest []string
	for name := range f.Errors {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	for _, name := range rest {
		list = append(list, fieldError{name, f.Errors[name]})
	}
	return list
}

// Trimmed is a field's value with surrounding space removed.
func (f *form) Trimmed(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Date reads an NHS.UK date input (name-day, name-month, name-year).
// required=false gives the zero time for three empty boxes.
func (f *form) Date(name, label string, required bool) time.Time {
	d, m, y := f.Trimmed(name+"-day"), f.Trimmed(name+"-month"), f.Trimmed(name+"-year")
	if d == "" && m == "" && y == "" {
		if required {
			f.Fail(name, "Enter the "+label)
		}
		return time.Time{}
	}
	day, err1 := strconv.Atoi(d)
	month, err2 := strconv.Atoi(m)
	year, err3 := strconv.Atoi(y)
	if err1 != nil || err2 != nil || err3 != nil || year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 {
		f.Fail(name, fmt.Sprintf("The %s must be a real date, for example 27 3 %d", label, time.Now().Year()+1))
		return time.Time{}
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		f.Fail(name, fmt.Sprintf("The %s must be a real date, for example 27 3 %d", label, time.Now().Year()+1))
		return time.Time{}
	}
	return t
}

// SetDate fills a date input's three boxes.
func (f *form) SetDate(name string, t time.Time) {
	if t.IsZero() {
		return
	}
	f.Values.Set(name+"-day", strconv.Itoa(t.Day()))
	f.Values.Set(name+"-month", strconv.Itoa(int(t.Month())))
	f.Values.Set(name+"-year", strconv.Itoa(t.Year()))
}

// Number reads a decimal number; "" gives 0 and no error.
func (f *form) Number(name, message string) float64 {
	text := strings.NewReplacer(",", "", "£", "").Replace(f.Trimmed(name))
	if text == "" {
		return 0
	}
	n, err := strconv.ParseFloat(text, 64)
	if err != nil || n < 0 {
		f.Fail(name, message)
		return 0
	}
	return n
}

// field is what the input partials render: one labelled control.
type field struct {
	ID, Name, Label, Hint, Type, Autocomplete, Value, Error, Width, Inputmode string
	Rows                                                                      int
	Options                                                                   []option
	Bold                                                                      bool // label as the page's question
}

type option struct {
	Value, Label string
	Selected     bool
}

// inputFunc builds a field from a form for the templates:
// {{template "input" (input .Form "email" "Email address" "type=email" "autocomplete=email")}}.
// Extra settings are key=value strings: type, hint, autocomplete, width
// (a nhsuk-input--width-N number or "full"), rows, inputmode, bold.
func inputFunc(f *form, name, label string, settings ...string) field {
	fl := field{ID: name, Name: name, Label: label, Type: "text"}
	if f != nil {
		fl.Value, fl.Error = f.Value(name), f.Error(name)
	}
	for _, s := range settings {
		key, value, _ := strings.Cut(s, "=")
		switch key {
		case "type":
			fl.Type = value
		case "hint":
			fl.Hint = value
		case "autocomplete":
			fl.Autocomplete = value
		case "width":
			fl.Width = value
		case "rows":
			fl.Rows, _ = strconv.Atoi(value)
		case "inputmode":
			fl.Inputmode = value
		case "bold":
			fl.Bold = true
		}
	}
	if fl.Type == "password" {
		fl.Value = "" // never echo a password back
	}
	return fl
}

// choiceFunc builds a select, radios or checkboxes field (typ "select",
// "radio" or "checkbox") whose chosen options come from the form.
func choiceFunc(f *form, typ, name, label, hint string, opts []option) field {
	fl := field{ID: name, Name: name, Label: label, Hint: hint, Type: typ}
	if f != nil {
		fl.Error = f.Error(name)
	}
	fl.Options = make([]option, len(opts))
	for i, o := range opts {
		o.Selected = f != nil && f.Has(name, o.Value)
		fl.Options[i] = o
	}
	return fl
}

// dateFunc builds an NHS.UK date input; its three values ride in Options.
func dateFunc(f *form, name, label, hint string) field {
	fl := field{ID: name, Name: name, Label: label, Hint: hint}
	if f != nil {
		fl.Error = f.Error(name)
		for _, part := range []string{"day", "month", "year"} {
			fl.Options = append(fl.Options, option{Value: f.Value(name + "-" + part)})
		}
	}
	return fl
}

type datePart struct {
	Key, Label   string
	Width, Index int
}

var dateParts = []datePart{{"day", "Day", 2, 0}, {"month", "Month", 2, 1}, {"year", "Year", 4, 2}}

// mustForm is the request's form values; a body that cannot be parsed
// gives an empty form, which then fails validation like any other.
func mustForm(c interface{ FormParams() (url.Values, error) }) url.Values {
	values, err := c.FormParams()
	if err != nil {
		return url.Values{}
	}
	return values
}

func itoa(n int) string           { return strconv.Itoa(n) }
func itoa64(n int64) string       { return strconv.FormatInt(n, 10) }
func queryEscape(s string) string { return url.QueryEscape(s) }

// normaliseEmail is the form of an address rate limits are keyed by.
func normaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// nextQuery carries a return path on to another page's URL.
func nextQuery(next string) string {
	if next == "" {
		return ""
	}
	return "?next=" + url.QueryEscape(next)
}
