package formats

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// CSV reads a spreadsheet export with a header row. Mapping.Fields names
// the column (by its header, case-insensitive, trimmed) that holds each
// field; Mapping.Delimiter is the separator ("," by default; "\t" or "tab"
// for tabs). Place columns (location, town, postcode, ...) may list
// several places separated by ";". A row with more or fewer fields than
// the header is emitted with Problem set and only its Reference and Title
// (as read, to name it in the report); trailing empty cells do not count. Rows with nothing in them are skipped and not counted.
var CSV Parser = parseCSV

func parseCSV(ctx context.Context, r io.Reader, m Mapping, _ Fetch, emit func(Item) error) error {
	sources, byName, err := fieldSources(m, "csv")
	if err != nil {
		return err
	}
	delimiter, err := csvDelimiter(m.Delimiter)
	if err != nil {
		return err
	}
	rr := &readRecorder{r: r}
	cr := csv.NewReader(openText(rr))
	cr.Comma = delimiter
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1

	header, err := cr.Read()
	if err == io.EOF {
		return malformed("csv", rr, errors.New("the document is empty: no header row"))
	}
	if err != nil {
		return malformed("csv", rr, err)
	}
	columns, err := csvColumns(header, sources, byName)
	if err != nil {
		return err
	}
	cr.ReuseRecord = true

	position := 0
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return malformed("csv", rr, err)
		}
		if blankRow(row) {
			continue
		}
		position++
		line, _ := cr.FieldPos(0)
		values := map[string][]string{}
		for field, column := range columns {
			if column < len(row) {
				values[field] = csvCell(field, row[column])
			}
		}
		it := itemFromValues(values)
		if n := usedWidth(row, len(header)); n != len(header) {
			// Past the misplaced separator the cells are in the wrong
			// columns: keep only what identifies the row in the report.
			it = Item{Reference: it.Reference, Title: it.Title,
				Problem: fmt.Sprintf("the row has %d fields but the header row has %d", n, len(header))}
		}
		it.Position, it.Line = position, line
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(it); err != nil {
			return err
		}
	}
}

func csvDelimiter(d string) (rune, error) {
	switch d {
	case "":
		return ',', nil
	case `\t`, "tab", "TAB":
		return '\t', nil
	}
	r, size := utf8.DecodeRuneInString(d)
	if size != len(d) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' || r == '\uFEFF' {
		return 0, fmt.Errorf("csv: the delimiter must be one character other than a quote or line break, not %q", d)
	}
	return r, nil
}

// csvColumns finds the column of each mapped field in the header row.
func csvColumns(header []string, sources map[string]string, byName bool) (map[string]int, error) {
	byHeader := map[string]int{}
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		if _, seen := byHeader[key]; !seen {
			byHeader[key] = i
		}
	}
	columns := map[string]int{}
	var missing []string
	for field, source := range sources {
		if i, ok := byHeader[strings.ToLower(source)]; ok {
			columns[field] = i
		} else if !byName {
			missing = append(missing, fmt.Sprintf("%q (for %s)", source, field))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("%w: csv: the header row has no column headed %s", ErrMalformed, strings.Join(missing, ", "))
	}
	if len(columns) == 0 {
		return nil, fmt.Errorf("%w: csv: no column in the header row is named after a field; give the feed a mapping", ErrMalformed)
	}
	return columns, nil
}

// csvCell splits a place cell at ";" ("Ely; March"); other cells are one
// value.
func csvCell(field, cell string) []string {
	if contains(placeFields, field) {
		return strings.Split(cell, ";")
	}
	return []string{cell}
}

func blankRow(row []string) bool {
	for _, cell := range row {
		if strings.TrimSpace(cell) != "" {
			return false
		}
	}
	return true
}

// usedWidth is the row's width, not counting empty cells past the header's
// width (spreadsheets pad rows with trailing separators).
func usedWidth(row []string, width int) int {
	n := len(row)
	for n > width && strings.TrimSpace(row[n-1]) == "" {
		n--
	}
	return n
}
