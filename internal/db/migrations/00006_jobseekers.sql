-- +goose Up
-- How people apply for a vacancy: on the employer's site (apply_url) or
-- here with their portal profile.
ALTER TABLE vacancies ADD COLUMN apply_method text NOT NULL DEFAULT 'external' CHECK (apply_method IN ('external', 'portal'));
-- A role applied for here needs no web address of the employer's.
ALTER TABLE vacancies DROP CONSTRAINT vacancies_apply_url_check;
ALTER TABLE vacancies ADD CONSTRAINT vacancies_apply_url_check
    CHECK (apply_url ~ '^https?://[^[:space:]]+$' OR (apply_method = 'portal' AND apply_url = ''));
-- Counted link-outs to employers' application pages, per vacancy and day.
CREATE TABLE apply_clicks (
    vacancy_id bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    day        date NOT NULL,
    count      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (vacancy_id, day)
);

-- A jobseeker's profile: one per account, reused for every application.
CREATE TABLE profiles (
    user_id             bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    phone               text NOT NULL DEFAULT '',
    address             text NOT NULL DEFAULT '',
    postcode            text NOT NULL DEFAULT '',
    right_to_work       text NOT NULL DEFAULT '' CHECK (right_to_work IN ('', 'citizen', 'settled', 'visa', 'needs-sponsorship')),
    registration_body   text NOT NULL DEFAULT '' CHECK (registration_body IN ('', 'NMC', 'HCPC', 'GMC', 'SWE')),
    registration_number text NOT NULL DEFAULT '',
    statement           text NOT NULL DEFAULT '',  -- a general supporting statement
    work_history        jsonb NOT NULL DEFAULT '[]', -- [{employer, role, from, to, duties}]
    education           jsonb NOT NULL DEFAULT '[]', -- [{institution, qualification, year}]
    references_list     jsonb NOT NULL DEFAULT '[]', -- [{name, relationship, email, phone}]
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- The staff passport: checks and training that move between partners.
CREATE TABLE passport_items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('training', 'dbs', 'occupational-health')),
    title       text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 150), -- topic, DBS level, clearance
    provider    text NOT NULL DEFAULT '',
    reference   text NOT NULL DEFAULT '', -- DBS certificate number
    on_update_service boolean NOT NULL DEFAULT false,
    completed_on date,
    expires_on  date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_on IS NULL OR completed_on IS NULL OR expires_on >= completed_on)
);
CREATE INDEX passport_items_user ON passport_items (user_id);

-- Evidence files for passport items: served only to the owner and to a
-- partner they applied to with the passport shared.
CREATE TABLE evidence_files (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id      bigint NOT NULL REFERENCES passport_items (id) ON DELETE CASCADE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    data         bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_files_item ON evidence_files (item_id);

-- Screening questions a partner asks every applicant.
CREATE TABLE screening_questions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    position   integer NOT NULL DEFAULT 0,
    question   text NOT NULL CHECK (length(btrim(question)) BETWEEN 5 AND 300),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Applications made on the portal. The profile is copied in at the time
-- of applying; the passport only with consent on this application.
CREATE TABLE applications (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vacancy_id       bigint NOT NULL REFERENCES vacancies (id),
    partner_id       bigint NOT NULL REFERENCES partners (id),
    user_id          bigint REFERENCES users (id) ON DELETE SET NULL, -- NULL once the account is deleted
    status           text NOT NULL DEFAULT 'submitted' CHECK (status IN (
                         'submitted', 'under-review', 'shortlisted', 'interview', 'offered', 'accepted', 'unsuccessful', 'withdrawn')),
    name             text NOT NULL,
    email            text NOT NULL,
    profile          jsonb NOT NULL,        -- the snapshot
    statement        text NOT NULL,         -- role-specific supporting statement
    answers          jsonb NOT NULL DEFAULT '[]', -- [{question, answer}]
    passport_shared  boolean NOT NULL DEFAULT false,
    passport         jsonb,                 -- snapshot of passport items when shared
    submitted_at     timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    anonymised_at    timestamptz,
    UNIQUE (vacancy_id, user_id)
);
CREATE INDEX applications_partner ON applications (partner_id, status);
CREATE INDEX applications_user ON applications (user_id);

CREATE TABLE application_events (
    application_id bigint NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at             timestamptz NOT NULL DEFAULT now(),
    status         text NOT NULL,
    actor_id       bigint REFERENCES users (id) ON DELETE SET NULL,
    note           text NOT NULL DEFAULT ''
);
CREATE INDEX application_events_application ON application_events (application_id, at);

-- Job alerts: a saved search, confirmed by e-mail (double opt-in), sent
-- daily, weekly or as soon as a matching role appears.
CREATE TABLE alerts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        citext NOT NULL,
    user_id      bigint REFERENCES users (id) ON DELETE CASCADE,
    query        text NOT NULL,            -- the search's URL query string, as /jobs takes it
    description  text NOT NULL,            -- "Nurse jobs within 10 miles of Wisbech"
    frequency    text NOT NULL CHECK (frequency IN ('instant', 'daily', 'weekly')),
    token_hash   bytea NOT NULL UNIQUE,    -- for confirm, manage and unsubscribe links
    confirmed_at timestamptz,
    unsubscribed_at timestamptz,
    last_sent_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_due ON alerts (frequency, last_sent_at) WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL;

-- Which vacancies each address has been sent, so no role is ever sent
-- twice and a retried send job sends nothing again.
CREATE TABLE alert_sent (
    email      citext NOT NULL,
    vacancy_id bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    alert_id   bigint REFERENCES alerts (id) ON DELETE SET NULL,
    sent_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (email, vacancy_id)
);

-- +goose Down
DROP TABLE alert_sent;
DROP TABLE alerts;
DROP TABLE application_events;
DROP TABLE applications;
DROP TABLE screening_questions;
DROP TABLE evidence_files;
DROP TABLE passport_items;
DROP TABLE profiles;
DROP TABLE apply_clicks;
-- NOT VALID: portal roles without a web address may remain.
ALTER TABLE vacancies DROP CONSTRAINT vacancies_apply_url_check;
ALTER TABLE vacancies ADD CONSTRAINT vacancies_apply_url_check CHECK (apply_url ~ '^https?://[^[:space:]]+$') NOT VALID;
ALTER TABLE vacancies DROP COLUMN apply_method;
