-- +goose Up
CREATE EXTENSION IF NOT EXISTS citext;

-- People who sign in. role is the system role; partner roles live in
-- memberships.
CREATE TABLE users (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             citext NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    name              text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    password_hash     text NOT NULL,
    role              text NOT NULL DEFAULT 'jobseeker' CHECK (role IN ('jobseeker', 'editor', 'admin')),
    email_verified_at timestamptz,
    disabled_at       timestamptz,
    -- A secret being set up has totp_enabled_at NULL until its first code is confirmed.
    totp_secret       text NOT NULL DEFAULT '',
    totp_enabled_at   timestamptz,
    totp_last_step    bigint NOT NULL DEFAULT 0, -- the last time step used: a code works once
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at   timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (totp_enabled_at IS NULL OR totp_secret <> '')
);

-- Recruiters and partner admins belong to one or more partners.
CREATE TABLE memberships (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    partner_id bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('recruiter', 'partner-admin')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, partner_id)
);
CREATE INDEX memberships_partner ON memberships (partner_id);

-- Single-use links sent by e-mail. Only a SHA-256 of the token is kept.
CREATE TABLE account_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('verify-email', 'reset-password')),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Invitations from a partner admin to join a partner.
CREATE TABLE invitations (
    token_hash  bytea PRIMARY KEY,
    partner_id  bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    email       citext NOT NULL,
    role        text NOT NULL CHECK (role IN ('recruiter', 'partner-admin')),
    invited_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_partner ON invitations (partner_id) WHERE accepted_at IS NULL;

-- Two-factor recovery codes, hashed; each works once.
CREATE TABLE recovery_codes (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- Server-side sessions: the cookie holds only a random id; the row is keyed
-- by its SHA-256 so a database leak gives no usable cookie.
CREATE TABLE sessions (
    id_hash      bytea PRIMARY KEY,
    user_id      bigint REFERENCES users (id) ON DELETE CASCADE,
    data         jsonb NOT NULL DEFAULT '{}',
    user_agent   text NOT NULL DEFAULT '',
    ip           text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Every privileged action: who, what, when, before and after.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    actor_email text NOT NULL DEFAULT '', -- kept when the user is deleted; 'cli' or 'system' for non-people
    action      text NOT NULL CHECK (action ~ '^[a-z-]+\.[a-z-]+$'),
    target_type text NOT NULL DEFAULT '',
    target_id   text NOT NULL DEFAULT '',
    partner_id  bigint REFERENCES partners (id) ON DELETE SET NULL,
    before      jsonb,
    after       jsonb,
    ip          text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_action ON audit_log (action, at DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at DESC);

-- Fixed-window counters for rate limits, shared by every web node.
CREATE TABLE rate_limits (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    count        integer NOT NULL DEFAULT 0,
    PRIMARY KEY (key, window_start)
);

-- +goose Down
DROP TABLE rate_limits;
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE invitations;
DROP TABLE account_tokens;
DROP TABLE memberships;
DROP TABLE users;
