package search

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/meilisearch/meilisearch-go"
	"github.com/riverqueue/river"

	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// Syncer brings the vacancies index in line with PostgreSQL.
type Syncer struct {
	client    *Client
	vacancies *vacancies.Store
}

// NewSyncer returns a Syncer reading from store and writing to client.
func NewSyncer(client *Client, store *vacancies.Store) *Syncer {
	return &Syncer{client: client, vacancies: store}
}

// Sync re-reads the vacancies with ids and upserts the searchable ones and
// deletes the rest, in one add and one delete. It is idempotent: running it
// twice, late or out of order leaves the index matching PostgreSQL now.
func (s *Syncer) Sync(ctx context.Context, ids []int64) error {
	list, err := s.vacancies.GetMany(ctx, ids)
	if err != nil {
		return err
	}
	searchable := map[int64]bool{}
	var docs []VacancyDoc
	for _, v := range list {
		if vacancies.Searchable(v) {
			docs = append(docs, NewVacancyDoc(v))
			searchable[v.ID] = true
		}
	}
	var gone []string
	for _, id := range ids {
		if !searchable[id] {
			gone = append(gone, strconv.FormatInt(id, 10))
		}
	}
	return upsertAndDelete(ctx, s.client, s.client.VacanciesIndex(), "vacancies", docs, gone)
}

// upsertAndDelete adds or replaces docs in the index uid and deletes the
// documents with the ids in gone, waiting for each task to succeed; noun
// names the documents in errors.
func upsertAndDelete[D any](ctx context.Context, c *Client, uid, noun string, docs []D, gone []string) error {
	index := c.ms.Index(uid)
	if len(docs) > 0 {
		pk := "id"
		info, err := index.AddDocuments(ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err := c.wait(ctx, info, err); err != nil {
			return fmt.Errorf("upsert %d %s: %w", len(docs), noun, err)
		}
	}
	if len(gone) > 0 {
		info, err := index.DeleteDocuments(ctx, gone, nil)
		if err := c.wait(ctx, info, err); err != nil {
			return fmt.Errorf("delete %d %s: %w", len(gone), noun, err)
		}
	}
	return nil
}

// SyncWorker runs outbox jobs.
type SyncWorker struct {
	river.WorkerDefaults[outbox.SyncVacancies]
	Syncer *Syncer
}

// Work syncs the job's vacancies; an error makes River retry with backoff.
func (w *SyncWorker) Work(ctx context.Context, job *river.Job[outbox.SyncVacancies]) error {
	return w.Syncer.Sync(ctx, job.Args.IDs)
}

// Timeout allows for a slow Meilisearch under a large batch.
func (w *SyncWorker) Timeout(*river.Job[outbox.SyncVacancies]) time.Duration { return 2 * time.Minute }

// RebuildBatch is how many vacancies go to Meilisearch in one request.
const RebuildBatch = 2000

// Rebuild builds a fresh vacancies index from PostgreSQL under a temporary
// name, then swaps it with the live one, so searches never see a half-built
// index. The old index is deleted afterwards. It returns the number of
// documents indexed.
func (s *Syncer) Rebuild(ctx context.Context) (int, error) {
	return s.client.rebuild(ctx, s.client.VacanciesIndex(), vacancySettings, s.fill, s.client.ApplySynonyms)
}

// rebuild fills a fresh index under a temporary name with the settings
// made from the synonyms in force, then swaps it with the live one, so
// searches never see a half-built index; the old one is deleted. Synonyms
// edited meanwhile went to the index just swapped out, so they are
// applied again.
func (c *Client) rebuild(ctx context.Context, live string, settingsFor func([][]string) *meilisearch.Settings,
	fill func(context.Context, string) (int, error), apply func(context.Context, [][]string) error) (int, error) {
	fresh := fmt.Sprintf("%s_rebuild_%d", live, time.Now().UnixNano())
	groups, err := c.synonyms(ctx)
	if err != nil {
		return 0, err
	}
	settings := settingsFor(groups)
	if err := c.ensureIndex(ctx, live, settings); err != nil { // a swap needs both sides
		return 0, err
	}
	if err := c.ensureIndex(ctx, fresh, settings); err != nil {
		return 0, err
	}
	defer c.dropIndex(fresh)
	count, err := fill(ctx, fresh)
	if err != nil {
		return count, err
	}
	info, err := c.ms.SwapIndexes(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{live, fresh}}})
	if err := c.wait(ctx, info, err); err != nil {
		return count, fmt.Errorf("swap %s into %s: %w", fresh, live, err)
	}
	now, err := c.synonyms(ctx)
	if err != nil || slices.EqualFunc(now, groups, slices.Equal) {
		return count, err
	}
	return count, apply(ctx, now)
}

// ApplySynonyms applies the synonym groups in force (from the client's
// source) to the live vacancies index and the live pages index, so a
// synonym finds the same words in both.
func (s *Syncer) ApplySynonyms(ctx context.Context) error {
	groups, err := s.client.synonyms(ctx)
	if err != nil {
		return err
	}
	if err := s.client.ApplySynonyms(ctx, groups); err != nil {
		return err
	}
	return s.client.applyPageSynonyms(ctx, groups)
}

// fill adds every searchable vacancy to index, pipelining: the next batch
// is read from PostgreSQL while Meilisearch indexes the previous one.
func (s *Syncer) fill(ctx context.Context, uid string) (int, error) {
	index := s.client.ms.Index(uid)
	pk := "id"
	count := 0
	var pending []*meilisearch.TaskInfo
	err := s.vacancies.EachSearchable(ctx, RebuildBatch, func(batch []vacancies.Vacancy) error {
		docs := make([]VacancyDoc, len(batch))
		for i, v := range batch {
			docs[i] = NewVacancyDoc(v)
		}
		info, err := index.AddDocuments(ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err != nil {
			return classify(err)
		}
		pending = append(pending, info)
		count += len(docs)
		return nil
	})
	if err != nil {
		return count, err
	}
	for _, info := range pending {
		if err := s.client.wait(ctx, info, nil); err != nil {
			return count, err
		}
	}
	return count, nil
}
