package pages_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/regionalcareers/portal/internal/pages"
)

// picture encodes a w by h gradient with encode.
func picture(t *testing.T, w, h int, encode func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var buf bytes.Buffer
	if err := encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func asPNG(b *bytes.Buffer, img image.Image) error  { return png.Encode(b, img) }
func asJPEG(b *bytes.Buffer, img image.Image) error { return jpeg.Encode(b, img, nil) }
func asGIF(b *bytes.Buffer, img image.Image) error  { return gif.Encode(b, img, nil) }

func TestSaveImage_AcceptsPNGAndJPEGReencoded(t *testing.T) {
	e := setUp(t)
	for _, tc := range []struct {
		filename         string
		data             []byte
		wantName, wantCT string
		wantW, wantH     int
	}{
		{`C:\Users\me\Ward 5 (2).PNG`, picture(t, 2000, 1000, asPNG), "ward-5-2.png", "image/png", 1600, 800},
		{"nurse.jpeg", picture(t, 300, 200, asJPEG), "nurse.jpg", "image/jpeg", 300, 200},
		{"logo.gif", picture(t, 40, 20, asGIF), "logo.png", "image/png", 40, 20},
		{"???.png", picture(t, 10, 10, asPNG), "image.png", "image/png", 10, 10},
	} {
		m, err := e.store.SaveImage(e.ctx, e.editor, tc.filename, tc.data, " A ward ")
		if err != nil {
			t.Errorf("%s: %v", tc.filename, err)
			continue
		}
		if m.Name != tc.wantName || m.ContentType != tc.wantCT || m.Width != tc.wantW || m.Height != tc.wantH || m.Alt != "A ward" {
			t.Errorf("%s: stored %+v", tc.filename, m)
		}
		got, data, err := e.store.Image(e.ctx, m.ID)
		if err != nil || got.URL() != m.URL() {
			t.Fatalf("%s: read back %+v, %v", tc.filename, got, err)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || "image/"+format != tc.wantCT || cfg.Width != tc.wantW {
			t.Errorf("%s: stored bytes are %s %dx%d (%v)", tc.filename, format, cfg.Width, cfg.Height, err)
		}
	}
	list, err := e.store.ListMedia(e.ctx, 2)
	if err != nil || len(list) != 2 || list[0].Name != "image.png" {
		t.Errorf("media = %+v, %v; want the newest two", list, err)
	}
	if _, _, err := e.store.Image(e.ctx, 9999); !errors.Is(err, pages.ErrNotFound) {
		t.Errorf("missing image: %v", err)
	}
}

func TestSaveImage_RefusesWhatIsNotAnImageOrHasNoAlt(t *testing.T) {
	e := setUp(t)
	random := make([]byte, 4096)
	rand.Read(random)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	for name, tc := range map[string]struct {
		data  []byte
		alt   string
		field string
	}{
		"svg text":      {svg, "A picture", "image"},
		"random bytes":  {random, "A picture", "image"},
		"empty upload":  {nil, "A picture", "image"},
		"too wide":      {picture(t, 6001, 1, asPNG), "A picture", "image"},
		"truncated png": {picture(t, 50, 50, asPNG)[:100], "A picture", "image"},
		"missing alt":   {picture(t, 10, 10, asPNG), "   ", "alt"},
		"alt too long":  {picture(t, 10, 10, asPNG), string(bytes.Repeat([]byte("a"), 251)), "alt"},
	} {
		_, err := e.store.SaveImage(e.ctx, e.editor, "upload.png", tc.data, tc.alt)
		if errs := fieldErrors(t, err); errs[tc.field] == "" {
			t.Errorf("%s: errors = %v, want %s", name, errs, tc.field)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM media`); n != 0 {
		t.Errorf("%d images stored", n)
	}
}
