package benchmark

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// newHTTPClient has the connection settings search.New gives the portal's
// Meilisearch client (keep-alive, 64 idle connections per host). Every
// request the benchmark times goes through one of these, to the site and to
// Meilisearch alike, so neither side wins on connection handling.
//
// gzip says whether to ask for compressed answers, as Go does unless told
// not to. The raw baseline does not: Meilisearch 1.21 sends a compressed
// answer's headers and body in two writes without TCP_NODELAY, so on a
// keep-alive connection the body usually waits for the client's delayed
// ACK, about 40 ms on Linux. That stall is the client's choice, not the
// engine's speed, so raw Meilisearch is timed without it (and, in a row of
// its own, with it).
func newHTTPClient(gzip bool) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second,
			DisableCompression: !gzip},
	}
}

// rawMeili talks to Meilisearch with plain HTTP: the baseline the portal is
// measured against, with no client library in the way.
type rawMeili struct {
	url  string
	key  string
	http *http.Client
}

// taskPoll is how often a task's status is read: the interval the search
// package waits with, so both sides of a timing lose the same to polling.
const taskPoll = 50 * time.Millisecond

// do sends one request and returns the body of a 2xx answer.
func (m *rawMeili) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, m.url+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+m.key)
	resp, err := m.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(out))
	}
	return out, nil
}

// enqueue sends a request Meilisearch answers with a task and returns the
// task's id.
func (m *rawMeili) enqueue(ctx context.Context, method, path string, body []byte) (int64, error) {
	out, err := m.do(ctx, method, path, body)
	if err != nil {
		return 0, err
	}
	var task struct {
		TaskUID *int64 `json:"taskUid"`
	}
	if err := json.Unmarshal(out, &task); err != nil || task.TaskUID == nil {
		return 0, fmt.Errorf("%s %s: no task in %.200s", method, path, out)
	}
	return *task.TaskUID, nil
}

// wait polls a task until it ends; a failed task is an error, since a 202
// only means "enqueued".
func (m *rawMeili) wait(ctx context.Context, uid int64) error {
	for {
		out, err := m.do(ctx, http.MethodGet, fmt.Sprintf("/tasks/%d", uid), nil)
		if err != nil {
			return err
		}
		var task struct {
			Status string `json:"status"`
			Type   string `json:"type"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(out, &task); err != nil {
			return fmt.Errorf("task %d: %w", uid, err)
		}
		switch task.Status {
		case "succeeded":
			return nil
		case "failed", "canceled":
			msg := ""
			if task.Error != nil {
				msg = task.Error.Message
			}
			return fmt.Errorf("task %d (%s) %s: %s", uid, task.Type, task.Status, msg)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(taskPoll):
		}
	}
}

// run enqueues a task and waits for it to succeed.
func (m *rawMeili) run(ctx context.Context, method, path string, body []byte) error {
	uid, err := m.enqueue(ctx, method, path, body)
	if err != nil {
		return err
	}
	return m.wait(ctx, uid)
}

// deleteIndex removes an index, if it is there, and waits for it to go.
func (m *rawMeili) deleteIndex(ctx context.Context, uid string) error {
	if _, err := m.do(ctx, http.MethodGet, "/indexes/"+uid, nil); err != nil {
		return nil // not there (or not reachable, which the next step will say)
	}
	return m.run(ctx, http.MethodDelete, "/indexes/"+uid, nil)
}

// version is the engine's version, for the report.
func (m *rawMeili) version(ctx context.Context) string {
	out, err := m.do(ctx, http.MethodGet, "/version", nil)
	if err != nil {
		return "unknown"
	}
	var v struct {
		PkgVersion string `json:"pkgVersion"`
	}
	if json.Unmarshal(out, &v) != nil || v.PkgVersion == "" {
		return "unknown"
	}
	return v.PkgVersion
}
