package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync/atomic"
	"time"
)

// ErrTooLarge is returned when a document exceeds the size limit.
var ErrTooLarge = errors.New("feed is larger than the size limit")

// Fetcher opens feed documents: http(s) with conditional GET, transparent
// gzip, a timeout, a redirect limit and a size limit; file:// from disk.
type Fetcher struct {
	Client   *http.Client
	MaxBytes int64               // limit on the (decompressed) document
	Getenv   func(string) string // reads auth header values
	Idle     time.Duration       // longest wait for the next bytes of a response
}

// DefaultMaxBytes bounds one feed document: generous for 50,000 roles.
const DefaultMaxBytes = 512 << 20

// NewFetcher returns a Fetcher whose requests fail when the server takes
// longer than timeout to answer, or then sends nothing for that long. A
// large feed that keeps arriving is never cut off midway.
func NewFetcher(timeout time.Duration) *Fetcher {
	return &Fetcher{
		Idle: timeout,
		Client: &http.Client{
			Transport: &http.Transport{
				Proxy:                 http.ProxyFromEnvironment,
				DialContext:           (&net.Dialer{Timeout: timeout}).DialContext,
				TLSHandshakeTimeout:   timeout,
				ResponseHeaderTimeout: timeout,
			},
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return fmt.Errorf("more than 5 redirects (last to %s)", req.URL.Redacted())
				}
				return nil
			},
		},
		MaxBytes: DefaultMaxBytes,
		Getenv:   os.Getenv,
	}
}

// Document is an opened feed.
type Document struct {
	Body         io.ReadCloser // nil when NotModified
	NotModified  bool
	ETag         string
	LastModified string
	counter      *countingReader
}

// Bytes is how many bytes have been read so far.
func (d Document) Bytes() int64 {
	if d.counter == nil {
		return 0
	}
	return d.counter.n
}

// Open fetches the feed's document, sending the validators of its last
// successful run so an unchanged document costs a 304.
func (f *Fetcher) Open(ctx context.Context, feed Feed) (Document, error) {
	u, err := url.Parse(feed.URL)
	if err != nil {
		return Document{}, fmt.Errorf("feed address: %w", err)
	}
	if u.Scheme == "file" {
		return f.openFile(u.Path, feed.LastModified)
	}
	ctx, cancel := context.WithCancel(ctx)
	req, err := f.request(ctx, feed, feed.URL)
	if err != nil {
		cancel()
		return Document{}, err
	}
	if feed.ETag != "" {
		req.Header.Set("If-None-Match", feed.ETag)
	}
	if feed.LastModified != "" {
		req.Header.Set("If-Modified-Since", feed.LastModified)
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		cancel()
		return Document{}, fmt.Errorf("fetch: %w", err)
	}
	doc := Document{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		cancel()
		resp.Body.Close()
		doc.NotModified, doc.ETag, doc.LastModified = true, feed.ETag, feed.LastModified
		return doc, nil
	case resp.StatusCode != http.StatusOK:
		cancel()
		resp.Body.Close()
		return Document{}, fmt.Errorf("fetch: the server answered %s", resp.Status)
	}
	idle := newIdleReader(resp.Body, f.Idle, cancel)
	doc.counter = &countingReader{r: idle, limit: f.MaxBytes}
	doc.Body = readCloser{doc.counter, idle}
	return doc, nil
}

func (f *Fetcher) openFile(path, lastModified string) (Document, error) {
	file, err := os.Open(path)
	if err != nil {
		return Document{}, fmt.Errorf("open %s: %w", path, err)
	}
	info, err := file.Stat()
	if err != nil {
		file.Close()
		return Document{}, err
	}
	modified := info.ModTime().UTC().Format(http.TimeFormat)
	if modified == lastModified {
		file.Close()
		return Document{NotModified: true, LastModified: modified}, nil
	}
	counter := &countingReader{r: file, limit: f.MaxBytes}
	return Document{Body: readCloser{counter, file}, LastModified: modified, counter: counter}, nil
}

func (f *Fetcher) request(ctx context.Context, feed Feed, target string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("feed address: %w", err)
	}
	req.Header.Set("User-Agent", "regional-careers-portal/1 (+feeds)")
	if feed.AuthHeader != "" {
		value := f.Getenv(feed.AuthEnv)
		if value == "" {
			return nil, fmt.Errorf("the environment variable %s (for the %s header) is not set", feed.AuthEnv, feed.AuthHeader)
		}
		req.Header.Set(feed.AuthHeader, value)
	}
	return req, nil
}

// Page returns a formats.Fetch for the pages a JSON-LD listing links to,
// with the feed's auth and the same limits.
func (f *Fetcher) Page(feed Feed) func(ctx context.Context, target string) (io.ReadCloser, error) {
	return func(ctx context.Context, target string) (io.ReadCloser, error) {
		req, err := f.request(ctx, feed, target)
		if err != nil {
			return nil, err
		}
		resp, err := f.Client.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("%s answered %s", target, resp.Status)
		}
		return readCloser{&countingReader{r: resp.Body, limit: f.MaxBytes}, resp.Body}, nil
	}
}

type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.limit > 0 && c.n > c.limit {
		return n, fmt.Errorf("%w (%d KB)", ErrTooLarge, c.limit>>10)
	}
	return n, err
}

type readCloser struct {
	io.Reader
	io.Closer
}

// idleReader cancels a response whose server stops sending for longer than
// idle, and says so.
type idleReader struct {
	body   io.ReadCloser
	idle   time.Duration
	cancel context.CancelFunc
	timer  *time.Timer
	fired  atomic.Bool
}

func newIdleReader(body io.ReadCloser, idle time.Duration, cancel context.CancelFunc) *idleReader {
	r := &idleReader{body: body, idle: idle, cancel: cancel}
	if idle > 0 {
		r.timer = time.AfterFunc(idle, func() { r.fired.Store(true); cancel() })
	}
	return r
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.body.Read(p)
	if r.timer != nil && n > 0 {
		r.timer.Reset(r.idle)
	}
	if err != nil && err != io.EOF && r.fired.Load() {
		return n, fmt.Errorf("timeout: the server sent nothing for %s", r.idle)
	}
	return n, err
}

func (r *idleReader) Close() error {
	if r.timer != nil {
		r.timer.Stop()
	}
	r.cancel()
	return r.body.Close()
}
