-- +goose Up
-- Content pages: area guides, career pathways, campaigns, stories and plain
-- pages, written in markdown. Shipped pages (content/pages/*.md) are
-- imported; editors write and change pages in the editor console.
CREATE TABLE pages (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('area-guide', 'career-pathway', 'campaign', 'story', 'page')),
    slug          text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    title         text NOT NULL CHECK (length(btrim(title)) BETWEEN 2 AND 150),
    summary       text NOT NULL DEFAULT '' CHECK (length(summary) <= 300),
    body          text NOT NULL DEFAULT '',
    places        text[] NOT NULL DEFAULT '{}',
    staff_groups  text[] NOT NULL DEFAULT '{}',
    tags          text[] NOT NULL DEFAULT '{}',
    hero_image    text NOT NULL DEFAULT '', -- a path under /media/ or /static/
    hero_alt      text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published', 'unpublished')),
    publish_at    timestamptz,              -- when a scheduled page goes live
    published_at  timestamptz,              -- first went live; shown as the page's date
    -- Shipped pages: the file's content hash at the last import, and
    -- whether an editor has changed the page since (then imports leave it).
    shipped_hash  text NOT NULL DEFAULT '',
    edited_at     timestamptz,
    created_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, slug),
    CHECK ((status = 'scheduled') = (publish_at IS NOT NULL)),
    CHECK (hero_image = '' OR btrim(hero_alt) <> '')
);
CREATE INDEX pages_scheduled ON pages (publish_at) WHERE status = 'scheduled';

-- Every saved version of a page, for history, diffs and restore.
CREATE TABLE page_revisions (
    page_id    bigint NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    number     integer NOT NULL CHECK (number > 0),
    title      text NOT NULL,
    summary    text NOT NULL,
    body       text NOT NULL,
    fields     jsonb NOT NULL DEFAULT '{}', -- places, staff groups, tags, hero image and alt
    note       text NOT NULL DEFAULT '',    -- "imported", "published", "restored revision 3"...
    author_id  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (page_id, number)
);

-- Images editors upload, re-encoded; served at /media/{id}/{name}.
CREATE TABLE media (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (name ~ '^[a-z0-9]+(-[a-z0-9]+)*\.(png|jpg)$'),
    content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    data        bytea NOT NULL,
    width       integer NOT NULL CHECK (width > 0),
    height      integer NOT NULL CHECK (height > 0),
    alt         text NOT NULL CHECK (length(btrim(alt)) BETWEEN 1 AND 250),
    uploaded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Campaign reporting: counts per campaign, day and event. No personal data:
-- no IP, no cookie, no user; only how many.
CREATE TABLE campaign_events (
    campaign   text NOT NULL CHECK (campaign ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    day        date NOT NULL,
    event      text NOT NULL CHECK (event IN ('visit', 'vacancy-view', 'apply-click')),
    source     text NOT NULL DEFAULT '' CHECK (length(source) <= 60), -- utm_source, lower case
    count      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign, day, event, source)
);

-- +goose Down
DROP TABLE campaign_events;
DROP TABLE media;
DROP TABLE page_revisions;
DROP TABLE pages;
