package partners_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/regionalcareers/portal/internal/partners"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

func store(t *testing.T) *partners.Store {
	t.Helper()
	_, ps, _ := vt.Stores(t)
	return ps
}

func picture(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		x, y := (i/4)%w, (i/4)/w
		copy(img.Pix[i:i+4], []uint8{uint8(x), uint8(y), 200, 255})
	}
	return img
}

func encoded(t *testing.T, format string, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSetLogo_PNGJPEGAndGIFComeBackAsPNGWithinBounds(t *testing.T) {
	ps, ctx := store(t), context.Background()
	p := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	for _, tc := range []struct {
		format       string
		w, h         int
		wantW, wantH int
	}{
		{"png", 1200, 300, 400, 100},  // wide: width bound
		{"jpeg", 300, 500, 120, 200},  // tall: height bound
		{"gif", 50, 40, 50, 40},       // small: never scaled up
		{"png", 4000, 4000, 200, 200}, // the largest accepted
	} {
		if err := ps.SetLogo(ctx, p.ID, encoded(t, tc.format, picture(tc.w, tc.h))); err != nil {
			t.Fatalf("%s %dx%d: %v", tc.format, tc.w, tc.h, err)
		}
		stored, updated, err := ps.Logo(ctx, p.Slug)
		if err != nil || updated.IsZero() {
			t.Fatalf("read logo: %v", err)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(stored))
		if err != nil || format != "png" || cfg.Width != tc.wantW || cfg.Height != tc.wantH {
			t.Errorf("%s %dx%d stored as %s %dx%d (%v), want png %dx%d",
				tc.format, tc.w, tc.h, format, cfg.Width, cfg.Height, err, tc.wantW, tc.wantH)
		}
	}
	if got, _ := ps.Get(ctx, p.ID); !got.HasLogo() {
		t.Error("the partner has no logo after uploading one")
	}
	if err := ps.RemoveLogo(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ps.Logo(ctx, p.Slug); !errors.Is(err, partners.ErrNotFound) {
		t.Errorf("after removing: %v, want ErrNotFound", err)
	}
	if got, _ := ps.Get(ctx, p.ID); got.HasLogo() {
		t.Error("the partner still has a logo")
	}
}

// hugePNGHeader is a valid PNG whose header claims width by height pixels:
// a few hundred bytes that would decode to gigabytes.
func hugePNGHeader(t *testing.T, width, height uint32) []byte {
	t.Helper()
	b := encoded(t, "png", picture(1, 1))
	ihdr := b[8+8 : 8+8+13] // after the signature and IHDR's length and type
	binary.BigEndian.PutUint32(ihdr[0:4], width)
	binary.BigEndian.PutUint32(ihdr[4:8], height)
	binary.BigEndian.PutUint32(b[8+8+13:], crc32.ChecksumIEEE(b[8+4:8+8+13]))
	return b
}

func TestSetLogo_RefusesWhatIsNotASafeImage(t *testing.T) {
	ps, ctx := store(t), context.Background()
	p := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rand.IntN(256))
	}
	tooBig := append(encoded(t, "png", picture(10, 10)), make([]byte, partners.MaxLogoBytes)...)
	for name, upload := range map[string][]byte{
		"random bytes":          random,
		"an SVG":                []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`),
		"a PDF named .png":      []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"),
		"over 2 MB":             tooBig,
		"a 100000 x 100000 PNG": hugePNGHeader(t, 100000, 100000),
		"a 4001 x 10 PNG":       hugePNGHeader(t, 4001, 10),
		"a truncated PNG":       encoded(t, "png", picture(100, 100))[:60],
		"nothing":               nil,
	} {
		err := ps.SetLogo(ctx, p.ID, upload)
		var verr partners.ValidationError
		if !errors.As(err, &verr) || verr["logo"] == "" {
			t.Errorf("%s: got %v, want a field error on logo", name, err)
		}
	}
	if _, _, err := ps.Logo(ctx, p.Slug); !errors.Is(err, partners.ErrNotFound) {
		t.Errorf("a refused upload was stored: %v", err)
	}
	if err := ps.SetLogo(ctx, 999999, encoded(t, "png", picture(10, 10))); !errors.Is(err, partners.ErrNotFound) {
		t.Errorf("logo for a missing partner: %v, want ErrNotFound", err)
	}
}

func TestCreate_RefusesATakenSlugAndInvalidFields(t *testing.T) {
	ps, ctx := store(t), context.Background()
	id, err := ps.Create(ctx, partners.Partner{Name: "St Neots Surgery", Type: partners.PrimaryCare})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ps.Get(ctx, id)
	if err != nil || got.Slug != "st-neots-surgery" || !got.Active {
		t.Errorf("created %+v (%v), want active with slug st-neots-surgery", got, err)
	}
	if _, err := ps.Create(ctx, partners.Partner{Name: "St Neots Surgery", Type: partners.PrimaryCare}); !errors.Is(err, partners.ErrSlugTaken) {
		t.Errorf("same slug: got %v, want ErrSlugTaken", err)
	}
	_, err = ps.Create(ctx, partners.Partner{Name: "X", Type: "bakery", Website: "ftp://x.example"})
	var verr partners.ValidationError
	if !errors.As(err, &verr) || verr["name"] == "" || verr["type"] == "" || verr["website"] == "" {
		t.Errorf("invalid partner: got %v, want errors on name, type and website", err)
	}
}

func TestUpdate_KeepsTheSlugAndProfileChangesOnlyAboutAndWebsite(t *testing.T) {
	ps, ctx := store(t), context.Background()
	p := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	if err := ps.Update(ctx, p.ID, partners.Partner{Slug: "ignored", Name: "Fen Valley NHS Trust", Type: partners.NHSTrust, About: "Hospitals."}); err != nil {
		t.Fatal(err)
	}
	if err := ps.UpdateProfile(ctx, p.ID, "Three hospitals and community services.", "https://fenvalley.example"); err != nil {
		t.Fatal(err)
	}
	got, _ := ps.Get(ctx, p.ID)
	if got.Slug != "fen-valley-trust" || got.Name != "Fen Valley NHS Trust" || got.About != "Three hospitals and community services." ||
		got.Website != "https://fenvalley.example" {
		t.Errorf("after update: %+v", got)
	}
	var verr partners.ValidationError
	if err := ps.UpdateProfile(ctx, p.ID, "", "javascript:alert(1)"); !errors.As(err, &verr) || verr["website"] == "" {
		t.Errorf("bad website: %v", err)
	}
	if err := ps.Update(ctx, 999999, got); !errors.Is(err, partners.ErrNotFound) {
		t.Errorf("missing partner: %v", err)
	}
}

func TestList_FindsByNameAndHidesInactiveUnlessAsked(t *testing.T) {
	ps, ctx := store(t), context.Background()
	vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	closed := vt.Partner(t, ps, "old-mill-care", partners.CareProvider)
	if err := ps.SetActive(ctx, closed.ID, false); err != nil {
		t.Fatal(err)
	}
	names := func(f partners.ListFilter) (out []string) {
		list, err := ps.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			out = append(out, p.Slug)
		}
		return out
	}
	if got := names(partners.ListFilter{}); len(got) != 1 || got[0] != "fen-valley-trust" {
		t.Errorf("active: %v", got)
	}
	if got := names(partners.ListFilter{IncludeInactive: true}); len(got) != 2 {
		t.Errorf("all: %v", got)
	}
	if got := names(partners.ListFilter{IncludeInactive: true, Query: "MILL"}); len(got) != 1 || got[0] != "old-mill-care" {
		t.Errorf("query mill: %v", got)
	}
}

func TestSetActive_EnqueuesTheSyncOfEveryVacancyOfThePartner(t *testing.T) {
	pool, ps, vs := vt.Stores(t)
	ctx := context.Background()
	trust := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	saved := vt.Save(t, vs, vt.New(trust), vt.New(trust, vt.Status("draft")))
	if _, err := pool.Exec(ctx, `DELETE FROM river_job`); err != nil {
		t.Fatal(err)
	}
	covered := func() (n int) {
		err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'search_sync_vacancies'
			AND args->'ids' @> to_jsonb($1::bigint[])`, []int64{saved[0].ID, saved[1].ID}).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := ps.SetActive(ctx, trust.ID, false); err != nil {
		t.Fatal(err)
	}
	if covered() != 1 {
		t.Errorf("deactivating: %d sync jobs covering both vacancies, want 1", covered())
	}
	if err := ps.SetActive(ctx, trust.ID, false); err != nil || covered() != 1 {
		t.Errorf("deactivating again enqueued more (%v)", err)
	}
	if err := ps.SetActive(ctx, trust.ID, true); err != nil || covered() != 2 {
		t.Errorf("reactivating: %d jobs (%v), want 2", covered(), err)
	}
	if got, _ := ps.Get(ctx, trust.ID); !got.Active || got.LiveCount != 1 {
		t.Errorf("after reactivating: %+v", got)
	}
	// A new name is on every search document: renaming enqueues their sync.
	if err := ps.Update(ctx, trust.ID, partners.Partner{Name: "Fen Valley Hospitals", Type: partners.NHSTrust}); err != nil || covered() != 3 {
		t.Errorf("renaming: %d jobs (%v), want 3", covered(), err)
	}
	if err := ps.UpdateProfile(ctx, trust.ID, "New words.", ""); err != nil || covered() != 3 {
		t.Errorf("a profile change enqueued a sync (%v)", err)
	}
}
