-- +goose Up
-- Recruiters write drafts and schedule them; feeds write live roles.
ALTER TABLE vacancies DROP CONSTRAINT vacancies_status_check;
ALTER TABLE vacancies ADD CONSTRAINT vacancies_status_check CHECK (status IN ('draft', 'scheduled', 'live', 'closed'));
ALTER TABLE vacancies ADD COLUMN publish_at timestamptz;
ALTER TABLE vacancies ADD CONSTRAINT vacancies_scheduled_has_time CHECK ((status = 'scheduled') = (publish_at IS NOT NULL));
ALTER TABLE vacancies ADD COLUMN created_by bigint REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE vacancies ADD COLUMN updated_by bigint REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX vacancies_scheduled ON vacancies (publish_at) WHERE status = 'scheduled';

-- A partner's logo, re-encoded as PNG on upload.
ALTER TABLE partners ADD COLUMN logo_png bytea;
ALTER TABLE partners ADD COLUMN logo_updated_at timestamptz;

-- Search synonyms, edited by admins and applied to Meilisearch settings.
-- Each row is one group of words that mean the same job.
CREATE TABLE search_synonyms (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    terms      text[] NOT NULL CHECK (cardinality(terms) BETWEEN 2 AND 20),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE search_synonyms;
ALTER TABLE partners DROP COLUMN logo_updated_at;
ALTER TABLE partners DROP COLUMN logo_png;
DROP INDEX vacancies_scheduled;
ALTER TABLE vacancies DROP COLUMN updated_by;
ALTER TABLE vacancies DROP COLUMN created_by;
ALTER TABLE vacancies DROP CONSTRAINT vacancies_scheduled_has_time;
ALTER TABLE vacancies DROP COLUMN publish_at;
ALTER TABLE vacancies DROP CONSTRAINT vacancies_status_check;
ALTER TABLE vacancies ADD CONSTRAINT vacancies_status_check CHECK (status IN ('draft', 'live', 'closed'));
