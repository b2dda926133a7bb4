package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/regionalcareers/portal/internal/alerts"
	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/jobs"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/synonyms"
	"github.com/regionalcareers/portal/search"
	"github.com/regionalcareers/portal/site"
)

func runServe(ctx context.Context, e *env, args []string) error {
	if err := parse(e.flags("serve", "serve"), args); err != nil {
		return err
	}
	st, err := e.open(ctx, outbox.NewInsertOnly)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	ob, err := outbox.NewInsertOnly(st.pool)
	if err != nil {
		return err
	}
	searchSynonyms := synonyms.NewStore(st.pool, ob)
	if err := searchSynonyms.EnsureDefaults(ctx, search.DefaultSynonyms()); err != nil {
		return err
	}
	searchClient := search.New(e.cfg)
	searchClient.SetSynonymSource(searchSynonyms.Groups)
	// Meilisearch being down must not stop the site: search pages say so
	// and sync jobs retry until it is back.
	if err := searchClient.EnsureVacancyIndex(ctx); err != nil {
		e.logger.Warn("search index not ready; search pages will answer 503 until it is", "err", err)
	}
	if err := searchClient.EnsurePagesIndex(ctx); err != nil {
		e.logger.Warn("pages search index not ready; site search will answer 503 until it is", "err", err)
	}
	web := site.NewDeps(e.cfg, st.pool, ob, searchClient, e.logger)
	if _, err := importContent(ctx, e, web.Pages); err != nil {
		return err
	}
	deps := jobs.Deps{
		Vacancies: web.Vacancies, Syncer: search.NewSyncer(searchClient, web.Vacancies), Logger: e.logger,
		Feeds:    feeds.NewRunner(st.pool, web.Vacancies, geo.Default(), e.logger),
		Sessions: web.Sessions, Limiter: web.Limiter,
	}
	deps.Pages = web.Pages
	deps.PageSyncer = search.NewPageSyncer(searchClient, deps.Pages)
	deps.Alerts = alerts.NewDigests(web.Alerts, searchClient, web.Vacancies, web.Mail, e.cfg.BaseURL, e.logger)
	deps.Applications, deps.RetentionDays = web.Applications, e.cfg.RetentionDays
	worker, err := jobs.NewClient(st.pool, deps)
	if err != nil {
		return err
	}
	if err := worker.Start(ctx); err != nil {
		return fmt.Errorf("start background jobs: %w", err)
	}
	defer stopWorkers(e, worker.Stop)
	if stale, err := jobs.NeedsReconcile(ctx, deps, searchClient); err == nil && stale {
		e.logger.Info("search index and database disagree; rebuilding the index in the background")
		if _, err := worker.Insert(ctx, jobs.ReconcileArgs{}, nil); err != nil {
			return fmt.Errorf("enqueue index rebuild: %w", err)
		}
	}

	app, err := site.New(web)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr: e.cfg.Addr, Handler: app,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
		IdleTimeout: 2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	e.logger.Info("serving", "addr", e.cfg.Addr, "url", e.cfg.BaseURL)
	select {
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", e.cfg.Addr, err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

func stopWorkers(e *env, stop func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := stop(ctx); err != nil {
		e.logger.Warn("stop background jobs", "err", err)
	}
}

func runReindex(ctx context.Context, e *env, args []string) error {
	if err := parse(e.flags("reindex", "reindex"), args); err != nil {
		return err
	}
	st, err := e.open(ctx, outbox.NewInsertOnly)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	start := time.Now()
	searchSynonyms := synonyms.NewStore(st.pool, nil) // read only: no outbox needed
	if err := searchSynonyms.EnsureDefaults(ctx, search.DefaultSynonyms()); err != nil {
		return err
	}
	searchClient := search.New(e.cfg)
	searchClient.SetSynonymSource(searchSynonyms.Groups)
	n, err := search.NewSyncer(searchClient, st.vacancies).Rebuild(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "indexed %d live vacancies in %s and swapped the new index in\n", n, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	n, err = search.NewPageSyncer(searchClient, pages.NewStore(st.pool, nil)).RebuildPages(ctx) // read only
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "indexed %d published pages in %s and swapped the new index in\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
