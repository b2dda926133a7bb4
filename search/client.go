// Package search owns everything Meilisearch: index settings declared in
// code, the documents built from PostgreSQL, the outbox sync worker, the
// rebuild-and-swap, and query building. Nothing else imports the
// Meilisearch client. PostgreSQL stays the truth: every index here can be
// rebuilt from it at any time.
package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/regionalcareers/portal/internal/config"
)

// ErrUnavailable wraps any failure to reach Meilisearch, so pages can say
// "search is unavailable" (503) instead of a generic error.
var ErrUnavailable = errors.New("search is unavailable")

// Client talks to one Meilisearch server under one index prefix.
type Client struct {
	ms     meilisearch.ServiceManager
	prefix string
	// The search hot path talks HTTP itself, to decode answers in one
	// typed pass (see multiSearch).
	http   *http.Client
	url    string
	apiKey string

	synonymSource SynonymSource // nil: DefaultSynonyms
}

// New returns a Client for cfg's Meilisearch.
func New(cfg config.Config) *Client {
	httpClient := &http.Client{
		Timeout: 30 * time.Second,
		// No gzip: Meilisearch 1.21 writes a compressed answer's headers and
		// body separately with Nagle on, so the body waits ~40 ms for our
		// delayed ACK. Uncompressed answers come in one write.
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second, DisableCompression: true},
	}
	return &Client{
		ms:     meilisearch.New(cfg.MeiliURL, meilisearch.WithAPIKey(cfg.MeiliMasterKey), meilisearch.WithCustomClient(httpClient)),
		prefix: cfg.IndexPrefix,
		http:   httpClient,
		url:    cfg.MeiliURL,
		apiKey: cfg.MeiliMasterKey,
	}
}

// VacanciesIndex is the name of the live vacancies index.
func (c *Client) VacanciesIndex() string { return c.prefix + "vacancies" }

// Healthy reports whether Meilisearch answers its health check.
func (c *Client) Healthy(ctx context.Context) error {
	if _, err := c.ms.Health(ctx); err != nil {
		return classify(err)
	}
	return nil
}

// wait blocks until the task finishes and turns a failed or cancelled task
// into an error: Meilisearch's 202 only means "enqueued".
func (c *Client) wait(ctx context.Context, info *meilisearch.TaskInfo, err error) error {
	if err != nil {
		return classify(err)
	}
	task, err := c.ms.WaitForTask(ctx, info.TaskUID, 50*time.Millisecond)
	if err != nil {
		return fmt.Errorf("wait for task %d: %w", info.TaskUID, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return fmt.Errorf("meilisearch task %d (%s on %s) %s: %s", task.UID, task.Type, task.IndexUID,
			task.Status, task.Error.Message)
	}
	return nil
}

// dropIndex deletes index uid, logging a failure: it runs after a rebuild,
// on its own deadline, whether the rebuild succeeded or not.
func (c *Client) dropIndex(uid string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	info, err := c.ms.DeleteIndex(ctx, uid)
	if err := c.wait(ctx, info, err); err != nil {
		slog.Warn("delete old search index", "index", uid, "err", err)
	}
}

// IndexStats is what an admin wants to know of an index.
type IndexStats struct {
	Documents  int64
	IsIndexing bool
}

// VacancyIndexStats returns the live vacancies index's document count.
func (c *Client) VacancyIndexStats(ctx context.Context) (IndexStats, error) {
	stats, err := c.ms.Index(c.VacanciesIndex()).GetStats(ctx, nil)
	if err != nil {
		return IndexStats{}, classify(err)
	}
	return IndexStats{Documents: stats.NumberOfDocuments, IsIndexing: stats.IsIndexing}, nil
}

// Health is what the admin console shows of the vacancies index, beside
// PostgreSQL's count of searchable vacancies.
type Health struct {
	Index             string
	Exists            bool // false before the index is first created
	Documents         int64
	IsIndexing        bool
	LastUpdate        time.Time        // when the index last changed
	FieldDistribution map[string]int64 // how many documents have each field
	PendingTasks      int64            // enqueued or processing tasks on the index
	LastFailure       string           // the error of the index's latest failed task; "" when none
	LastFailureAt     time.Time
}

// IndexHealth reports on the live vacancies index.
func (c *Client) IndexHealth(ctx context.Context) (h Health, err error) {
	h.Index = c.VacanciesIndex()
	info, err := c.ms.GetIndex(ctx, h.Index)
	var me *meilisearch.Error
	if errors.As(err, &me) && me.StatusCode == http.StatusNotFound {
		return h, nil
	} else if err != nil {
		return h, classify(err)
	}
	h.Exists, h.LastUpdate = true, info.UpdatedAt
	stats, err := c.ms.Index(h.Index).GetStats(ctx, nil)
	if err != nil {
		return h, classify(err)
	}
	h.Documents, h.IsIndexing, h.FieldDistribution = stats.NumberOfDocuments, stats.IsIndexing, stats.FieldDistribution
	pending, err := c.ms.GetTasks(ctx, &meilisearch.TasksQuery{IndexUIDS: []string{h.Index}, Limit: 1,
		Statuses: []meilisearch.TaskStatus{meilisearch.TaskStatusEnqueued, meilisearch.TaskStatusProcessing}})
	if err != nil {
		return h, classify(err)
	}
	h.PendingTasks = pending.Total
	failed, err := c.ms.GetTasks(ctx, &meilisearch.TasksQuery{IndexUIDS: []string{h.Index}, Limit: 1,
		Statuses: []meilisearch.TaskStatus{meilisearch.TaskStatusFailed}})
	if err != nil {
		return h, classify(err)
	}
	if len(failed.Results) > 0 {
		h.LastFailure, h.LastFailureAt = failed.Results[0].Error.Message, failed.Results[0].FinishedAt
	}
	return h, nil
}

// multiSearch posts queries to /multi-search and decodes the answer into
// out in one pass: the SDK's generic hit maps cost more than the search.
func (c *Client) multiSearch(ctx context.Context, queries []*meilisearch.SearchRequest, out any) error {
	body, err := json.Marshal(meilisearch.MultiSearchRequest{Queries: queries})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+"/multi-search", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		err := fmt.Errorf("multi-search answered %s: %s", resp.Status, bytes.TrimSpace(msg))
		var answer struct {
			Code string `json:"code"`
		}
		if json.Unmarshal(msg, &answer) == nil && answer.Code == "index_not_found" {
			// Not created yet (Meilisearch was down when serve started):
			// search is not ready, the request itself was fine.
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		return byStatus(resp.StatusCode, err)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%w: decode multi-search answer: %v", ErrUnavailable, err)
	}
	return nil
}

// classify wraps err as ErrUnavailable when Meilisearch could not be
// reached or failed on its side (or refused our key); a request it
// rejected as invalid is a bug here, not an outage, and stays a plain error.
func classify(err error) error {
	var me *meilisearch.Error
	if errors.As(err, &me) {
		return byStatus(me.StatusCode, err)
	}
	return fmt.Errorf("%w: %v", ErrUnavailable, err)
}

func byStatus(status int, err error) error {
	if status >= 400 && status < 500 && status != http.StatusUnauthorized && status != http.StatusForbidden {
		return fmt.Errorf("meilisearch rejected the request: %w", err)
	}
	return fmt.Errorf("%w: %v", ErrUnavailable, err)
}
