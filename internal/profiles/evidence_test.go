package profiles_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/regionalcareers/portal/internal/profiles"
)

// minimalPDF is a valid one-page PDF with a correct cross-reference table.
func minimalPDF(extra ...string) []byte {
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R " + strings.Join(extra, " ") + ">>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

func encoded(t *testing.T, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{0, 94, 184, 255})
	}
	var buf bytes.Buffer
	switch format {
	case "png":
		must(t, png.Encode(&buf, img))
	case "jpeg":
		must(t, jpeg.Encode(&buf, img, nil))
	case "gif":
		must(t, gif.Encode(&buf, img, nil))
	}
	return buf.Bytes()
}

func TestNormaliseEvidence_JudgesTheFileByItsBytes(t *testing.T) {
	// A PNG header claiming 60000 x 60000 pixels: refused before decoding.
	bomb := encoded(t, "png")
	copy(bomb[16:24], []byte{0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60})
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	for _, tc := range []struct {
		name, want string
		data       []byte
	}{
		{"HTML named .pdf", "must be a PDF", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")},
		{"PDF header then HTML", "must be a PDF", []byte("%PDF-1.4\n<html><script>alert(1)</script></html>")},
		{"PDF with JavaScript", "contains scripts", minimalPDF("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")},
		{"GIF", "must be a PDF", encoded(t, "gif")},
		{"SVG", "must be a PDF", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)},
		{"empty", "empty", nil},
		{"too big", "smaller than 5 MB", append(minimalPDF(), make([]byte, 5<<20)...)},
		{"decompression bomb", "at most 10000 by 10000", bomb},
	} {
		_, _, err := profiles.NormaliseEvidence(tc.data)
		var verr profiles.ValidationError
		if !errors.As(err, &verr) || !strings.Contains(verr["file"], tc.want) {
			t.Errorf("%s: %v, want a message containing %q", tc.name, err, tc.want)
		}
	}
}

func TestNormaliseEvidence_KeepsPDFsAndReencodesImages(t *testing.T) {
	pdf := minimalPDF()
	typ, stored, err := profiles.NormaliseEvidence(pdf)
	if err != nil || typ != profiles.PDF || !bytes.Equal(stored, pdf) {
		t.Errorf("PDF: %s %v, stored as it is: %v", typ, err, bytes.Equal(stored, pdf))
	}
	for format, want := range map[string]string{"png": profiles.PNG, "jpeg": profiles.JPEG} {
		// Bytes after the image's end are dropped by re-encoding.
		upload := append(encoded(t, format), []byte("<script>alert(1)</script>")...)
		typ, stored, err := profiles.NormaliseEvidence(upload)
		if err != nil || typ != want {
			t.Fatalf("%s: %s %v", format, typ, err)
		}
		if bytes.Contains(stored, []byte("<script>")) {
			t.Errorf("%s: the appended script is still there", format)
		}
		if cfg, got, err := image.DecodeConfig(bytes.NewReader(stored)); err != nil || got != format || cfg.Width != 40 {
			t.Errorf("%s: stored %s %dx%d %v", format, got, cfg.Width, cfg.Height, err)
		}
	}
}

func TestEvidenceName_IsSafeAndMatchesTheType(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/My DBS <2024>.PDF":    "My DBS 2024.pdf",
		`C:\Users\jo\scan.jpeg`:          "scan.jpg",
		"certificate.pdf":                "certificate.png", // the type found wins over the name
		`"; filename=evil.html`:          "filenameevil.png",
		"":                               "evidence.png",
		"Ysgol Gymraeg – tystysgrif.png": "Ysgol Gymraeg tystysgrif.png",
	} {
		typ := profiles.PNG
		if strings.HasSuffix(want, ".pdf") {
			typ = profiles.PDF
		} else if strings.HasSuffix(want, ".jpg") {
			typ = profiles.JPEG
		}
		if got := profiles.EvidenceName(in, typ); got != want {
			t.Errorf("EvidenceName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStore_EvidenceIsServedToTheOwnerOnly(t *testing.T) {
	e := setUp(t)
	ctx := context.Background()
	owner, other := e.user(t, "jo@example.org"), e.user(t, "sam@example.org")
	itemID, err := e.store.AddItem(ctx, owner, profiles.PassportItem{Kind: profiles.DBS, Title: "Enhanced"})
	must(t, err)
	ev, err := e.store.AddEvidence(ctx, owner, itemID, "dbs.pdf", minimalPDF())
	must(t, err)
	if ev.Name != "dbs.pdf" || ev.ContentType != profiles.PDF || ev.Size != len(minimalPDF()) {
		t.Errorf("evidence %+v", ev)
	}
	got, data, err := e.store.EvidenceForOwner(ctx, owner, ev.ID)
	if err != nil || got.ID != ev.ID || !bytes.Equal(data, minimalPDF()) {
		t.Errorf("owner: %+v %v", got, err)
	}
	if _, _, err := e.store.EvidenceForOwner(ctx, other, ev.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("another user: %v", err)
	}
	if _, err := e.store.DeleteEvidence(ctx, other, ev.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("another user deleting: %v", err)
	}
	item, err := e.store.Item(ctx, owner, itemID)
	must(t, err)
	if len(item.Evidence) != 1 || item.Evidence[0].Name != "dbs.pdf" {
		t.Errorf("item's evidence %+v", item.Evidence)
	}
	deleted, err := e.store.DeleteEvidence(ctx, owner, ev.ID)
	if err != nil || deleted.ItemID != itemID || deleted.Name != "dbs.pdf" {
		t.Errorf("delete: %+v %v", deleted, err)
	}
	if _, _, err := e.store.EvidenceForOwner(ctx, owner, ev.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("after deleting: %v", err)
	}
}

func TestStore_TenFilesAnItemAtMost(t *testing.T) {
	e := setUp(t)
	ctx := context.Background()
	owner := e.user(t, "jo@example.org")
	itemID, err := e.store.AddItem(ctx, owner, profiles.PassportItem{Kind: profiles.Training, Title: "Fire"})
	must(t, err)
	for range profiles.MaxEvidencePerItem {
		_, err := e.store.AddEvidence(ctx, owner, itemID, "c.pdf", minimalPDF())
		must(t, err)
	}
	_, err = e.store.AddEvidence(ctx, owner, itemID, "c.pdf", minimalPDF())
	var verr profiles.ValidationError
	if !errors.As(err, &verr) || !strings.Contains(verr["file"], "up to 10 files") {
		t.Errorf("eleventh file: %v", err)
	}
}

// TestStore_EvidenceForPartnerNeedsAnApplicationWithThePassportShared is
// the consent rule: a partner sees evidence only of someone who applied to
// it and chose to share their passport.
func TestStore_EvidenceForPartnerNeedsAnApplicationWithThePassportShared(t *testing.T) {
	e := setUp(t)
	ctx := context.Background()
	owner := e.user(t, "jo@example.org")
	itemID, err := e.store.AddItem(ctx, owner, profiles.PassportItem{Kind: profiles.DBS, Title: "Enhanced"})
	must(t, err)
	ev, err := e.store.AddEvidence(ctx, owner, itemID, "dbs.png", encoded(t, "png"))
	must(t, err)
	forPartner := func(partnerID int64) error {
		_, _, err := e.store.EvidenceForPartner(ctx, partnerID, ev.ID)
		return err
	}
	if err := forPartner(e.trust.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("no application: %v", err)
	}
	vacancies := e.saveVs("Staff nurse", "Ward sister")
	var notShared, shared int64
	must(t, e.pool.QueryRow(ctx, `INSERT INTO applications (vacancy_id, partner_id, user_id, name, email, profile, statement, passport_shared)
		VALUES ($1, $2, $3, 'Jo', 'jo@example.org', '{}', 'Hello', false) RETURNING id`, vacancies[0], e.trust.ID, owner).Scan(&notShared))
	if err := forPartner(e.trust.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("an application without consent: %v", err)
	}
	must(t, e.pool.QueryRow(ctx, `INSERT INTO applications (vacancy_id, partner_id, user_id, name, email, profile, statement, passport_shared)
		VALUES ($1, $2, $3, 'Jo', 'jo@example.org', '{}', 'Hello', true) RETURNING id`, vacancies[1], e.trust.ID, owner).Scan(&shared))
	if err := forPartner(e.trust.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("shared but not yet shortlisted (shortlisting is anonymous): %v", err)
	}
	_, err = e.pool.Exec(ctx, `UPDATE applications SET status = 'shortlisted' WHERE id = $1`, shared)
	must(t, err)
	got, data, err := e.store.EvidenceForPartner(ctx, e.trust.ID, ev.ID)
	if err != nil || got.ContentType != profiles.PNG || len(data) == 0 {
		t.Errorf("an application with consent: %+v %v", got, err)
	}
	if err := forPartner(e.care.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("a partner not applied to: %v", err)
	}
	_, err = e.pool.Exec(ctx, `UPDATE applications SET status = 'withdrawn' WHERE id = $1`, shared)
	must(t, err)
	if err := forPartner(e.trust.ID); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("after withdrawing the application: %v", err)
	}
}
