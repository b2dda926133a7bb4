package partners

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for image.DecodeConfig and image.Decode
	_ "image/jpeg"
	"image/png"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/image/draw"
)

// Logo limits. An upload is checked from its bytes, never its name or
// declared type, and always re-encoded, so what is served is a plain PNG
// with nothing but pixels in it.
const (
	MaxLogoBytes  = 2 << 20 // the upload
	maxLogoSide   = 4000    // either side of the upload, checked before decoding
	LogoMaxWidth  = 400     // the stored logo fits in this box
	LogoMaxHeight = 200
)

const msgLogoType = "The logo must be a PNG, JPEG or GIF image"

var (
	msgLogoSize = fmt.Sprintf("The logo must be smaller than %d MB", MaxLogoBytes>>20)
	msgLogoArea = fmt.Sprintf("The logo must be at most %d by %d pixels", maxLogoSide, maxLogoSide)
)

// logoFormats are the formats a logo may come in, as image.DecodeConfig
// names them; a format another package registers is refused.
var logoFormats = map[string]bool{"png": true, "jpeg": true, "gif": true}

// SetLogo checks upload is a PNG, JPEG or GIF of sensible size, scales it
// down to fit LogoMaxWidth by LogoMaxHeight keeping its shape, and stores
// it re-encoded as PNG (which drops metadata and anything appended).
func (s *Store) SetLogo(ctx context.Context, id int64, upload []byte) (err error) {
	defer wrap(&err, "set logo of partner %d", id)
	logo, err := NormaliseLogo(upload)
	if err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE partners SET logo_png = $2, logo_updated_at = now(), updated_at = now()
		WHERE id = $1`, id, logo)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return err
}

// NormaliseLogo turns an upload into the PNG SetLogo stores, or says with a
// ValidationError on "logo" why it cannot.
func NormaliseLogo(upload []byte) ([]byte, error) {
	if len(upload) > MaxLogoBytes {
		return nil, ValidationError{"logo": msgLogoSize}
	}
	// The dimensions come from the header: a small file can claim a huge
	// image (a decompression bomb), so it is refused before decoding.
	cfg, format, err := image.DecodeConfig(bytes.NewReader(upload))
	if err != nil || !logoFormats[format] || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ValidationError{"logo": msgLogoType}
	}
	if cfg.Width > maxLogoSide || cfg.Height > maxLogoSide {
		return nil, ValidationError{"logo": msgLogoArea}
	}
	src, _, err := image.Decode(bytes.NewReader(upload))
	if err != nil {
		return nil, ValidationError{"logo": msgLogoType}
	}
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, fit(src, LogoMaxWidth, LogoMaxHeight)); err != nil {
		return nil, fmt.Errorf("encode logo: %w", err)
	}
	return out.Bytes(), nil
}

// fit scales img down, never up, to fit within w by h, keeping its aspect
// ratio.
func fit(img image.Image, w, h int) image.Image {
	b := img.Bounds()
	scale := min(float64(w)/float64(b.Dx()), float64(h)/float64(b.Dy()), 1)
	dw, dh := max(1, int(float64(b.Dx())*scale+0.5)), max(1, int(float64(b.Dy())*scale+0.5))
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// Logo returns the logo of the partner with slug as PNG, and when it was
// set; ErrNotFound when there is no such partner or it has no logo.
func (s *Store) Logo(ctx context.Context, slug string) (logo []byte, updatedAt time.Time, err error) {
	defer wrap(&err, "logo of partner %q", slug)
	err = s.pool.QueryRow(ctx, `SELECT logo_png, logo_updated_at FROM partners
		WHERE slug = $1 AND logo_png IS NOT NULL`, slug).Scan(&logo, &updatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, time.Time{}, ErrNotFound
	}
	return logo, updatedAt, err
}

// RemoveLogo deletes partner id's logo.
func (s *Store) RemoveLogo(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "remove logo of partner %d", id)
	tag, err := s.pool.Exec(ctx, `UPDATE partners SET logo_png = NULL, logo_updated_at = NULL, updated_at = now()
		WHERE id = $1`, id)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return err
}
