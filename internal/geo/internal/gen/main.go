// Command gen rebuilds the gazetteer files that package geo embeds, from the shared data folder
// (/work/shared/data/geo). It keeps only the columns Lookup needs so the binary stays small, copies
// outcodes.csv as it is, and copies SOURCES.md because the Open Government Licence requires the
// attribution to travel with every copy of the data.
//
// Run it from internal/geo with `go generate`, or directly:
//
//	go run ./internal/gen -src ../../../shared/data/geo -out data
//
// It refuses to run when an input's SHA-256 differs from the one SOURCES.md records, so the
// attribution we ship always describes the data we ship.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// placeColumns are the places_detailed.csv columns we keep, in output order.
// Dropped: os_id (unused), region and country (county is enough to tell duplicates apart).
var placeColumns = []string{
	"name", "alt_name", "type", "county", "district", "postcode_district", "latitude", "longitude",
}

func main() {
	src := flag.String("src", "../../../shared/data/geo", "folder holding outcodes.csv, places_detailed.csv and SOURCES.md")
	out := flag.String("out", "data", "folder to write the embedded files into")
	flag.Parse()

	if err := run(*src, *out); err != nil {
		log.Fatalf("gen: %v", err)
	}
}

func run(src, out string) error {
	sources, err := os.ReadFile(filepath.Join(src, "SOURCES.md"))
	if err != nil {
		return err
	}
	checksums := recordedChecksums(sources)

	outcodes, err := readVerified(src, "outcodes.csv", checksums)
	if err != nil {
		return err
	}
	detailed, err := readVerified(src, "places_detailed.csv", checksums)
	if err != nil {
		return err
	}
	places, err := compactPlaces(detailed)
	if err != nil {
		return fmt.Errorf("places_detailed.csv: %w", err)
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for name, content := range map[string][]byte{
		"SOURCES.md":   sources,
		"outcodes.csv": outcodes,
		"places.csv":   places,
	} {
		if err := os.WriteFile(filepath.Join(out, name), content, 0o644); err != nil {
			return err
		}
	}
	log.Printf("gen: wrote %s (%d bytes places.csv, %d bytes outcodes.csv)", out, len(places), len(outcodes))
	return nil
}

// recordedChecksums reads the "<sha256>  <file>" lines at the end of SOURCES.md.
func recordedChecksums(sources []byte) map[string]string {
	sums := make(map[string]string)
	scanner := bufio.NewScanner(bytes.NewReader(sources))
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) == 2 && len(fields[0]) == sha256.Size*2 {
			if _, err := hex.DecodeString(fields[0]); err == nil {
				sums[fields[1]] = fields[0]
			}
		}
	}
	return sums
}

func readVerified(dir, name string, checksums map[string]string) ([]byte, error) {
	content, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	want, ok := checksums[name]
	if !ok {
		return nil, fmt.Errorf("SOURCES.md records no SHA-256 for %s", name)
	}
	sum := sha256.Sum256(content)
	if got := hex.EncodeToString(sum[:]); got != want {
		return nil, fmt.Errorf("%s has SHA-256 %s but SOURCES.md records %s: update SOURCES.md with the data", name, got, want)
	}
	return content, nil
}

func compactPlaces(detailed []byte) ([]byte, error) {
	reader := csv.NewReader(bytes.NewReader(detailed))
	header, err := reader.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	positions := make([]int, len(placeColumns))
	for i, column := range placeColumns {
		positions[i] = slices.Index(header, column)
		if positions[i] < 0 {
			return nil, fmt.Errorf("missing column %q", column)
		}
	}

	var buf bytes.Buffer
	writer := csv.NewWriter(&buf)
	if err := writer.Write(placeColumns); err != nil {
		return nil, err
	}
	row := make([]string, len(placeColumns))
	for {
		record, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		for i, position := range positions {
			row[i] = record[position]
		}
		if err := writer.Write(row); err != nil {
			return nil, err
		}
	}
	writer.Flush()
	return buf.Bytes(), writer.Error()
}
