package pages

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for image.DecodeConfig and image.Decode
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/image/draw"

	"github.com/regionalcareers/portal/internal/partners"
)

// Media is an image an editor uploaded, served at URL.
type Media struct {
	ID            int64
	Name          string // "nurse-on-ward.jpg"
	ContentType   string // image/png or image/jpeg
	Alt           string // the default description, offered when the image is used
	Width, Height int
	CreatedAt     time.Time
}

// URL is where the site serves the image.
func (m Media) URL() string { return fmt.Sprintf("/media/%d/%s", m.ID, m.Name) }

// Image limits. An upload is judged by its bytes, never its name or the
// type the browser claimed, and always re-encoded, so what is served holds
// nothing but pixels.
const (
	MaxImageBytes = 5 << 20
	maxImageSide  = 6000 // either side of the upload, checked before decoding
	ImageMaxWidth = 1600 // wider images are scaled down to this
	jpegQuality   = 85
	maxMediaName  = 60 // the name's slug, before its extension
)

var (
	msgImageType = "The image must be a PNG or JPEG (a GIF is turned into a PNG)"
	msgImageSize = fmt.Sprintf("The image must be smaller than %d MB", MaxImageBytes>>20)
	msgImageArea = fmt.Sprintf("The image must be at most %d by %d pixels", maxImageSide, maxImageSide)
	msgAlt       = fmt.Sprintf("Describe the image in 1 to %d characters, for people who cannot see it", maxAlt)
)

// SaveImage checks an upload is a PNG, JPEG or GIF of sensible size, scales
// it down to ImageMaxWidth wide, re-encodes it (JPEG stays JPEG; PNG and
// GIF become PNG) and stores it with its alt text, uploaded by userID.
// What is wrong comes back as a ValidationError on "image" and "alt".
func (s *Store) SaveImage(ctx context.Context, userID int64, filename string, data []byte, alt string) (m Media, err error) {
	defer wrap(&err, "save image %q", filename)
	alt = strings.TrimSpace(alt)
	errs := ValidationError{}
	if n := utf8.RuneCountInString(alt); n < 1 || n > maxAlt {
		errs["alt"] = msgAlt
	}
	encoded, format, msg := normaliseImage(data)
	if msg != "" {
		errs["image"] = msg
	}
	if len(errs) > 0 {
		return Media{}, errs
	}
	m = Media{Alt: alt, Width: encoded.width, Height: encoded.height, ContentType: "image/" + format}
	m.Name = mediaName(filename, map[string]string{"png": ".png", "jpeg": ".jpg"}[format])
	err = s.pool.QueryRow(ctx, `INSERT INTO media (name, content_type, data, width, height, alt, uploaded_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at`,
		m.Name, m.ContentType, encoded.data, m.Width, m.Height, m.Alt, nullID(userID), s.now()).Scan(&m.ID, &m.CreatedAt)
	return m, err
}

type encodedImage struct {
	data          []byte
	width, height int
}

// normaliseImage returns upload re-encoded and its format ("png" or
// "jpeg"), or a message for the editor saying why it cannot be used.
func normaliseImage(upload []byte) (img encodedImage, format, msg string) {
	if len(upload) > MaxImageBytes {
		return img, "", msgImageSize
	}
	// The dimensions come from the header: a small file can claim a huge
	// image (a decompression bomb), so it is refused before decoding.
	cfg, format, err := image.DecodeConfig(bytes.NewReader(upload))
	if err != nil || (format != "png" && format != "jpeg" && format != "gif") || cfg.Width <= 0 || cfg.Height <= 0 {
		return img, "", msgImageType
	}
	if cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return img, "", msgImageArea
	}
	src, _, err := image.Decode(bytes.NewReader(upload))
	if err != nil {
		return img, "", msgImageType
	}
	src = fitWidth(src, ImageMaxWidth)
	var out bytes.Buffer
	if format == "jpeg" {
		err = jpeg.Encode(&out, src, &jpeg.Options{Quality: jpegQuality})
	} else {
		format = "png"
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, src)
	}
	if err != nil {
		return img, "", msgImageType
	}
	b := src.Bounds()
	return encodedImage{data: out.Bytes(), width: b.Dx(), height: b.Dy()}, format, ""
}

// fitWidth scales img down, never up, to at most w pixels wide, keeping
// its aspect ratio.
func fitWidth(img image.Image, w int) image.Image {
	b := img.Bounds()
	if b.Dx() <= w {
		return img
	}
	h := max(1, int(float64(b.Dy())*float64(w)/float64(b.Dx())+0.5))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// mediaName is the slug of filename's base name, without its extension,
// and ext: "Ward 5 (2).JPEG" -> "ward-5-2.jpg".
func mediaName(filename, ext string) string {
	base := path.Base(strings.ReplaceAll(filename, `\`, "/")) // browsers on Windows may send a full path
	base = strings.TrimSuffix(base, path.Ext(base))
	slug := partners.Slugify(base)
	if len(slug) > maxMediaName {
		slug = strings.TrimRight(slug[:maxMediaName], "-")
	}
	if slug == "" {
		slug = "image"
	}
	return slug + ext
}

const selectMedia = `SELECT id, name, content_type, alt, width, height, created_at FROM media`

func scanMedia(row pgx.Row, extra ...any) (m Media, err error) {
	err = row.Scan(append([]any{&m.ID, &m.Name, &m.ContentType, &m.Alt, &m.Width, &m.Height, &m.CreatedAt}, extra...)...)
	return m, err
}

// Image returns image id and its bytes, or ErrNotFound.
func (s *Store) Image(ctx context.Context, id int64) (m Media, data []byte, err error) {
	defer wrap(&err, "get image %d", id)
	m, err = scanMedia(s.pool.QueryRow(ctx, `SELECT id, name, content_type, alt, width, height, created_at, data
		FROM media WHERE id = $1`, id), &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return Media{}, nil, ErrNotFound
	}
	return m, data, err
}

// ListMedia returns up to limit images, newest first (50 when limit is 0
// or less), for the editor's media library.
func (s *Store) ListMedia(ctx context.Context, limit int) (list []Media, err error) {
	defer wrap(&err, "list media")
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.pool.Query(ctx, selectMedia+` ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Media, error) { return scanMedia(row) })
}
