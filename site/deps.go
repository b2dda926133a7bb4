package site

import (
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/alerts"
	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/mail"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/profiles"
	"github.com/regionalcareers/portal/internal/ratelimit"
	"github.com/regionalcareers/portal/internal/sessionstore"
	"github.com/regionalcareers/portal/internal/synonyms"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// NewDeps builds every store the site uses on one pool, so serve, tests
// and benchmarks wire the site the same way.
func NewDeps(cfg config.Config, pool *pgxpool.Pool, ob *outbox.Outbox, client *search.Client, logger *slog.Logger) Deps {
	return Deps{
		Config:    cfg,
		Pool:      pool,
		Partners:  partners.NewStore(pool, ob),
		Vacancies: vacancies.NewStore(pool, ob),
		Feeds:     feeds.NewStore(pool),
		Accounts:  accountStore(pool, cfg),
		Sessions: sessionstore.New(pool, sessionstore.Options{
			CookieName:      sessionCookieName(cfg.Production()),
			Secure:          cfg.Production(),
			IdleTimeout:     cfg.SessionIdle,
			AbsoluteTimeout: cfg.SessionMaxAge,
		}),
		Audit:     audit.NewStore(pool),
		Limiter:   ratelimit.New(pool),
		Synonyms:  synonyms.NewStore(pool, ob),
		Pages:     pages.NewStore(pool, ob),
		Outbox:    ob,
		Mail:      mail.NewSender(cfg),
		Search:    client,
		Gazetteer: geo.Default(),
		Profiles:  profiles.NewStore(pool),
		Alerts:    alerts.NewStore(pool, []byte(cfg.Secret), geo.Default()),
		Logger:    logger,
		Now:       time.Now,

		Applications: applications.NewStore(pool, applications.Mailer{Sender: mail.NewSender(cfg), BaseURL: cfg.BaseURL, Logger: logger}),
	}
}

// accountStore seals two-factor secrets with the portal's secret.
func accountStore(pool *pgxpool.Pool, cfg config.Config) *accounts.Store {
	st := accounts.NewStore(pool)
	st.SetSecretKey([]byte(cfg.Secret))
	return st
}
