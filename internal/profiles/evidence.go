package profiles

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
)

// Evidence is a file uploaded to back up a passport item: a certificate,
// a DBS letter, a clearance. Its bytes are only read by EvidenceForOwner
// and EvidenceForPartner.
type Evidence struct {
	ID          int64     `json:"id"`
	ItemID      int64     `json:"-"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	CreatedAt   time.Time `json:"uploaded_at"`
}

// Evidence limits. A file is judged by its bytes, never by its name or the
// type the browser claimed.
const (
	MaxEvidenceBytes   = 5 << 20
	MaxEvidencePerItem = 10
	maxEvidenceSide    = 10000    // either side of an image, checked before decoding
	maxEvidencePixels  = 50 << 20 // width times height
	maxEvidenceName    = 80       // the name before its extension
	jpegQuality        = 90
)

// Content types of evidence.
const (
	PDF  = "application/pdf"
	PNG  = "image/png"
	JPEG = "image/jpeg"
)

var (
	msgEvidenceType  = "The file must be a PDF, or a photo or scan saved as PNG or JPEG"
	msgEvidenceSize  = fmt.Sprintf("The file must be smaller than %d MB", MaxEvidenceBytes>>20)
	msgEvidenceArea  = fmt.Sprintf("The image must be at most %d by %d pixels", maxEvidenceSide, maxEvidenceSide)
	msgEvidenceCount = fmt.Sprintf("You can upload up to %d files for each record. Remove one to add another", MaxEvidencePerItem)
	msgPDFActive     = "The PDF contains scripts, links that start programs or attached files. Print it to a new PDF and upload that"
)

const evidenceColumns = `id, item_id, name, content_type, length(data), created_at`

func scanEvidence(row pgx.Row, extra ...any) (e Evidence, err error) {
	err = row.Scan(append([]any{&e.ID, &e.ItemID, &e.Name, &e.ContentType, &e.Size, &e.CreatedAt}, extra...)...)
	return e, err
}

// AddEvidence stores a file for the user's item itemID. Its type comes from
// its content: a PDF is kept as it is (and must only ever be served as an
// attachment); a PNG or JPEG is decoded and re-encoded, which drops
// metadata such as where a photo was taken. What is wrong with the file
// comes back as a ValidationError on "file"; another user's item is
// ErrNotFound.
func (s *Store) AddEvidence(ctx context.Context, userID, itemID int64, filename string, data []byte) (e Evidence, err error) {
	defer wrap(&err, "add evidence to passport item %d", itemID)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var count int
		err := tx.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM evidence_files f WHERE f.item_id = i.id)
			FROM passport_items i WHERE i.id = $1 AND i.user_id = $2 FOR UPDATE`, itemID, userID).Scan(&count)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if count >= MaxEvidencePerItem {
			return ValidationError{"file": msgEvidenceCount}
		}
		contentType, stored, err := NormaliseEvidence(data)
		if err != nil {
			return err
		}
		e = Evidence{ItemID: itemID, Name: EvidenceName(filename, contentType), ContentType: contentType, Size: len(stored)}
		return tx.QueryRow(ctx, `
			INSERT INTO evidence_files (item_id, user_id, name, content_type, data) VALUES ($1, $2, $3, $4, $5)
			RETURNING id, created_at`, itemID, userID, e.Name, contentType, stored).Scan(&e.ID, &e.CreatedAt)
	})
	return e, err
}

// NormaliseEvidence works out an upload's type from its bytes and returns
// what is stored: a PDF as it is, an image re-encoded. A ValidationError
// on "file" says why a file is refused.
func NormaliseEvidence(data []byte) (contentType string, stored []byte, err error) {
	switch {
	case len(data) == 0:
		return "", nil, ValidationError{"file": "The file is empty"}
	case len(data) > MaxEvidenceBytes:
		return "", nil, ValidationError{"file": msgEvidenceSize}
	case bytes.HasPrefix(data, []byte("%PDF-")):
		if !plausiblePDF(data) {
			return "", nil, ValidationError{"file": msgEvidenceType}
		}
		if activePDF(data) {
			return "", nil, ValidationError{"file": msgPDFActive}
		}
		return PDF, data, nil
	}
	return reencodeImage(data)
}

// plausiblePDF is a sanity check, not a parser: a version after the
// header, objects, and the end-of-file marker near the end, where
// readers look for it.
func plausiblePDF(data []byte) bool {
	if len(data) < 16 || data[6] != '.' || (data[5] != '1' && data[5] != '2') || data[7] < '0' || data[7] > '9' {
		return false
	}
	tail := data[max(0, len(data)-1024):]
	return bytes.Contains(tail, []byte("%%EOF")) && bytes.Contains(data, []byte(" obj"))
}

// activePDF reports the names of PDF features that run something or carry
// other files, where they are written in plain text. Compressed object
// streams can hide them; the file is only ever offered as a download.
func activePDF(data []byte) bool {
	for _, name := range []string{"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/RichMedia"} {
		if i := bytes.Index(data, []byte(name)); i >= 0 {
			// "/JS" must be the whole name, not the start of another.
			end := i + len(name)
			if end == len(data) || !isNameChar(data[end]) {
				return true
			}
		}
	}
	return false
}

func isNameChar(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func reencodeImage(data []byte) (string, []byte, error) {
	// The dimensions come from the header first: a small file can claim a
	// huge image, which is refused before decoding.
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") || cfg.Width <= 0 || cfg.Height <= 0 {
		return "", nil, ValidationError{"file": msgEvidenceType}
	}
	if cfg.Width > maxEvidenceSide || cfg.Height > maxEvidenceSide || cfg.Width*cfg.Height > maxEvidencePixels {
		return "", nil, ValidationError{"file": msgEvidenceArea}
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", nil, ValidationError{"file": msgEvidenceType}
	}
	var out bytes.Buffer
	if format == "png" {
		err = png.Encode(&out, img)
	} else {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: jpegQuality})
	}
	if err != nil {
		return "", nil, fmt.Errorf("encode %s: %w", format, err)
	}
	if out.Len() > 2*MaxEvidenceBytes {
		return "", nil, ValidationError{"file": msgEvidenceSize}
	}
	return "image/" + format, out.Bytes(), nil
}

// EvidenceName makes a safe file name from the one uploaded, with the
// extension of the type found: "../My DBS <2024>.PDF" -> "My DBS 2024.pdf".
func EvidenceName(filename, contentType string) string {
	base := path.Base(strings.ReplaceAll(filename, `\`, "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	var b strings.Builder
	for _, r := range base {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '-', r == '_', r == '.', r == '(', r == ')':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		}
	}
	name := strings.Join(strings.Fields(b.String()), " ")
	name = strings.Trim(name, ". ")
	if runes := []rune(name); len(runes) > maxEvidenceName {
		name = strings.TrimSpace(string(runes[:maxEvidenceName]))
	}
	if name == "" {
		name = "evidence"
	}
	ext := map[string]string{PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}[contentType]
	return name + ext
}

// EvidenceForOwner returns one of the user's own evidence files with its
// bytes; ErrNotFound for anyone else's.
func (s *Store) EvidenceForOwner(ctx context.Context, userID, evidenceID int64) (e Evidence, data []byte, err error) {
	defer wrap(&err, "evidence %d for its owner", evidenceID)
	e, err = scanEvidence(s.pool.QueryRow(ctx, `SELECT `+evidenceColumns+`, data FROM evidence_files
		WHERE id = $1 AND user_id = $2`, evidenceID, userID), &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return Evidence{}, nil, ErrNotFound
	}
	return e, data, err
}

// EvidenceForPartner returns an evidence file to a partner, only when its
// owner applied to that partner and shared their passport with the
// application, and the partner has shortlisted them (evidence names the
// person, and shortlisting is anonymous until then); not once withdrawn or
// anonymised. Otherwise ErrNotFound. This is the one place the rule lives.
func (s *Store) EvidenceForPartner(ctx context.Context, partnerID, evidenceID int64) (e Evidence, data []byte, err error) {
	defer wrap(&err, "evidence %d for partner %d", evidenceID, partnerID)
	e, err = scanEvidence(s.pool.QueryRow(ctx, `SELECT `+evidenceColumns+`, data FROM evidence_files e
		WHERE e.id = $1 AND EXISTS (
			SELECT 1 FROM applications a
			WHERE a.user_id = e.user_id AND a.partner_id = $2 AND a.passport_shared
				AND a.status IN ('shortlisted', 'interview', 'offered', 'accepted') AND a.anonymised_at IS NULL)`,
		evidenceID, partnerID), &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return Evidence{}, nil, ErrNotFound
	}
	return e, data, err
}

// DeleteEvidence removes one of the user's evidence files and returns what
// it was (with the item it belonged to); ErrNotFound for anyone else's.
func (s *Store) DeleteEvidence(ctx context.Context, userID, evidenceID int64) (e Evidence, err error) {
	defer wrap(&err, "delete evidence %d", evidenceID)
	e, err = scanEvidence(s.pool.QueryRow(ctx, `DELETE FROM evidence_files WHERE id = $1 AND user_id = $2
		RETURNING `+evidenceColumns, evidenceID, userID))
	if errors.Is(err, pgx.ErrNoRows) {
		return Evidence{}, ErrNotFound
	}
	return e, err
}
