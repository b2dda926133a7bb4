-- +goose Up
CREATE TABLE partners (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 2 AND 200),
    type        text NOT NULL CHECK (type IN ('nhs-trust', 'primary-care', 'council', 'care-provider', 'hospice', 'charity', 'ambulance')),
    website     text NOT NULL DEFAULT '' CHECK (website = '' OR website ~ '^https?://'),
    about       text NOT NULL DEFAULT '',
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vacancies (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id        bigint NOT NULL REFERENCES partners (id),
    external_ref      text NOT NULL CHECK (length(btrim(external_ref)) BETWEEN 1 AND 120),
    title             text NOT NULL CHECK (length(btrim(title)) BETWEEN 3 AND 200),
    description       text NOT NULL CHECK (length(btrim(description)) >= 20),
    staff_group       text NOT NULL CHECK (staff_group IN (
                          'nursing-midwifery', 'allied-health', 'medical-dental', 'healthcare-science',
                          'scientific-technical', 'additional-clinical', 'admin-clerical', 'estates-ancillary',
                          'social-care')),
    band              text CHECK (band IN ('2', '3', '4', '5', '6', '7', '8a', '8b', '8c', '8d', '9')),
    pay_min           numeric(10, 2) CHECK (pay_min > 0),
    pay_max           numeric(10, 2) CHECK (pay_max > 0),
    pay_period        text CHECK (pay_period IN ('year', 'hour')),
    pay_text          text NOT NULL DEFAULT '',
    contract          text NOT NULL CHECK (contract IN ('permanent', 'fixed-term', 'bank', 'apprenticeship', 'rotation', 'secondment')),
    patterns          text[] NOT NULL CHECK (cardinality(patterns) > 0 AND patterns <@ ARRAY[
                          'full-time', 'part-time', 'flexible', 'nights', 'weekends', 'term-time', 'job-share']::text[]),
    hours_per_week    numeric(5, 2) NOT NULL CHECK (hours_per_week > 0 AND hours_per_week <= 60),
    posted_on         date NOT NULL,
    closing_on        date NOT NULL CHECK (closing_on >= posted_on),
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'closed')),
    apply_url         text NOT NULL CHECK (apply_url ~ '^https?://[^[:space:]]+$'),
    passport_accepted boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    closed_at         timestamptz,
    UNIQUE (partner_id, external_ref),
    -- Pay is an Agenda for Change band, a stated amount with its period, or
    -- at least the employer's words for it ("Negotiable").
    CHECK (band IS NOT NULL OR pay_min IS NOT NULL OR btrim(pay_text) <> ''),
    CHECK (pay_max IS NULL OR pay_min IS NULL OR pay_max >= pay_min),
    CHECK ((pay_min IS NULL) = (pay_period IS NULL)),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);

CREATE INDEX vacancies_live_closing ON vacancies (closing_on) WHERE status = 'live';
CREATE INDEX vacancies_partner ON vacancies (partner_id, status);

CREATE TABLE vacancy_locations (
    vacancy_id  bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    position    smallint NOT NULL CHECK (position >= 0),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 2 AND 120),
    postcode    text NOT NULL DEFAULT '' CHECK (postcode = '' OR postcode ~ '^[A-Z]{1,2}[0-9][0-9A-Z]?( [0-9][A-Z]{2})?$'),
    lat         double precision NOT NULL CHECK (lat BETWEEN 49 AND 61),
    lon         double precision NOT NULL CHECK (lon BETWEEN -9 AND 3),
    PRIMARY KEY (vacancy_id, position)
);

-- +goose Down
DROP TABLE vacancy_locations;
DROP TABLE vacancies;
DROP TABLE partners;
