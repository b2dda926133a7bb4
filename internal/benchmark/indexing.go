package benchmark

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// IndexingResult compares a full rebuild by the portal with raw document
// adds of the same documents.
type IndexingResult struct {
	Documents int
	Batches   int
	Portal    []time.Duration // search.Syncer.Rebuild, one per run
	Raw       []time.Duration // create index + settings + adds + wait, one per run
	ReadBuild time.Duration   // reading PostgreSQL and building documents alone, once
	Encode    time.Duration   // JSON-encoding every batch, once
}

// PortalMedian and RawMedian are the middle runs.
func (r IndexingResult) PortalMedian() time.Duration { return median(r.Portal) }
func (r IndexingResult) RawMedian() time.Duration    { return median(r.Raw) }

// Ratio is how many times longer the portal takes than raw Meilisearch.
func (r IndexingResult) Ratio() float64 { return ratio(r.PortalMedian(), r.RawMedian()) }

// rawDocuments reads the searchable vacancies once, in the batches Rebuild
// uses, and encodes each batch as the JSON body of a document add, so the
// raw side's timing holds nothing but Meilisearch.
func rawDocuments(ctx context.Context, vs *vacancies.Store) (batches [][]byte, res IndexingResult, err error) {
	var docs [][]search.VacancyDoc
	start := time.Now()
	err = vs.EachSearchable(ctx, search.RebuildBatch, func(list []vacancies.Vacancy) error {
		batch := make([]search.VacancyDoc, len(list))
		for i, v := range list {
			batch[i] = search.NewVacancyDoc(v)
		}
		docs = append(docs, batch)
		res.Documents += len(batch)
		return nil
	})
	if err != nil {
		return nil, res, err
	}
	res.ReadBuild = time.Since(start)
	start = time.Now()
	for _, batch := range docs {
		body, err := json.Marshal(batch)
		if err != nil {
			return nil, res, fmt.Errorf("encode documents: %w", err)
		}
		batches = append(batches, body)
	}
	res.Encode = time.Since(start)
	res.Batches = len(batches)
	return batches, res, nil
}

// compareIndexing times runs rebuilds and as many raw builds, alternating
// which goes first, on an engine that has nothing else to do. With no runs
// it only builds the index the search timings need.
func compareIndexing(ctx context.Context, syncer *search.Syncer, raw *rawMeili, live string, vs *vacancies.Store, runs int, logf func(string, ...any)) (IndexingResult, error) {
	if runs == 0 { // search timings only: build the index once, untimed
		n, err := syncer.Rebuild(ctx)
		logf("indexing: not timed; rebuilt the index with %d documents", n)
		return IndexingResult{Documents: n}, err
	}
	batches, res, err := rawDocuments(ctx, vs)
	if err != nil {
		return res, err
	}
	logf("indexing: %d documents in %d batches (read and built in %s, encoded in %s)",
		res.Documents, res.Batches, res.ReadBuild.Round(time.Millisecond), res.Encode.Round(time.Millisecond))
	// The raw side gets the settings the portal declares, read back from
	// the live index it created: exactly what Rebuild applies.
	settings, err := raw.do(ctx, http.MethodGet, "/indexes/"+live+"/settings", nil)
	if err != nil {
		return res, fmt.Errorf("read the portal's index settings: %w", err)
	}
	portal := func(int) error {
		start := time.Now()
		n, err := syncer.Rebuild(ctx)
		if err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
		if n != res.Documents {
			return fmt.Errorf("rebuild indexed %d documents, the raw side has %d", n, res.Documents)
		}
		res.Portal = append(res.Portal, time.Since(start))
		logf("indexing: portal rebuild %s", res.Portal[len(res.Portal)-1].Round(time.Millisecond))
		return nil
	}
	rawRun := func(run int) error {
		uid := fmt.Sprintf("%s_raw_%d", live, run)
		if err := raw.deleteIndex(ctx, uid); err != nil {
			return err
		}
		took, err := rawBuild(ctx, raw, uid, settings, batches)
		if err != nil {
			return fmt.Errorf("raw build: %w", err)
		}
		res.Raw = append(res.Raw, took)
		logf("indexing: raw Meilisearch %s", took.Round(time.Millisecond))
		return raw.deleteIndex(ctx, uid) // untimed, like the drop that follows a swap
	}
	for run := range runs {
		first, second := portal, rawRun
		if run%2 == 1 {
			first, second = rawRun, portal
		}
		if err := first(run); err != nil {
			return res, err
		}
		if err := second(run); err != nil {
			return res, err
		}
	}
	return res, nil
}

// rawBuild is what Rebuild does to the fresh index, in plain HTTP: create
// it, apply the settings, add every batch without waiting in between, then
// wait for every task to succeed.
func rawBuild(ctx context.Context, raw *rawMeili, uid string, settings []byte, batches [][]byte) (time.Duration, error) {
	start := time.Now()
	create, _ := json.Marshal(map[string]string{"uid": uid, "primaryKey": "id"})
	if err := raw.run(ctx, http.MethodPost, "/indexes", create); err != nil {
		return 0, err
	}
	if err := raw.run(ctx, http.MethodPatch, "/indexes/"+uid+"/settings", settings); err != nil {
		return 0, err
	}
	var tasks []int64
	for _, body := range batches {
		task, err := raw.enqueue(ctx, http.MethodPost, "/indexes/"+uid+"/documents?primaryKey=id", body)
		if err != nil {
			return 0, err
		}
		tasks = append(tasks, task)
	}
	for _, task := range tasks {
		if err := raw.wait(ctx, task); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}
