-- +goose Up
-- A hash of everything a vacancy shows, so re-importing an unchanged role
-- writes nothing and enqueues no search sync.
ALTER TABLE vacancies ADD COLUMN content_hash text NOT NULL DEFAULT '';

CREATE TABLE feeds (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id    bigint NOT NULL REFERENCES partners (id),
    url           text NOT NULL CHECK (url ~ '^(https?|file)://[^[:space:]]+$'),
    format        text NOT NULL CHECK (format IN ('indeed', 'nhsjobs', 'jsonld', 'csv', 'json')),
    every         interval NOT NULL DEFAULT '1 hour' CHECK (every >= interval '5 minutes'),
    mapping       jsonb NOT NULL DEFAULT '{}',
    -- The header's value is a secret: only the name of the environment
    -- variable that holds it is stored.
    auth_header   text NOT NULL DEFAULT '' CHECK (auth_header ~ '^[A-Za-z0-9-]*$'),
    auth_env      text NOT NULL DEFAULT '' CHECK (auth_env ~ '^[A-Z0-9_]*$'),
    etag          text NOT NULL DEFAULT '',
    last_modified text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (partner_id, url),
    CHECK ((auth_header = '') = (auth_env = ''))
);

CREATE TABLE feed_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_id       bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    status        text NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'succeeded', 'not_modified', 'failed', 'abandoned')),
    fetched_bytes bigint NOT NULL DEFAULT 0,
    items         integer NOT NULL DEFAULT 0,
    created       integer NOT NULL DEFAULT 0,
    updated       integer NOT NULL DEFAULT 0,
    unchanged     integer NOT NULL DEFAULT 0,
    closed        integer NOT NULL DEFAULT 0,
    rejected      integer NOT NULL DEFAULT 0,
    error         text NOT NULL DEFAULT '',
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX feed_runs_feed ON feed_runs (feed_id, started_at DESC);

CREATE TABLE feed_rejections (
    run_id    bigint NOT NULL REFERENCES feed_runs (id) ON DELETE CASCADE,
    position  integer NOT NULL CHECK (position > 0),
    reference text NOT NULL DEFAULT '',
    field     text NOT NULL DEFAULT '',
    reason    text NOT NULL,
    PRIMARY KEY (run_id, position)
);

-- Which feeds list a vacancy, under which reference. A role sent by two
-- feeds of one partner is one vacancy with two sources; it closes only when
-- no feed lists it any more.
CREATE TABLE vacancy_sources (
    vacancy_id bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    feed_id    bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    reference  text NOT NULL,
    seen_run   bigint NOT NULL,
    PRIMARY KEY (feed_id, reference)
);
CREATE INDEX vacancy_sources_vacancy ON vacancy_sources (vacancy_id);

-- +goose Down
DROP TABLE vacancy_sources;
DROP TABLE feed_rejections;
DROP TABLE feed_runs;
DROP TABLE feeds;
ALTER TABLE vacancies DROP COLUMN content_hash;
