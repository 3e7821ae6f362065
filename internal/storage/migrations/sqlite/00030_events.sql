-- +goose Up
-- The network's events (issue 23): hosts that confirm, registrations with
-- a waiting list, links to works and workshops. Each event is also a
-- search document of kind 'event'. Times are Unix ms UTC; precision says
-- how much of the date is known ('' exact, 'month', 'no_year').
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    description_md  TEXT    NOT NULL DEFAULT '',
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    all_day         INTEGER NOT NULL DEFAULT 0,
    date_precision  TEXT    NOT NULL DEFAULT '',
    place           TEXT    NOT NULL DEFAULT '',
    online_url      TEXT    NOT NULL DEFAULT '',
    audience        TEXT    NOT NULL, -- public | network | internal
    capacity        INTEGER NOT NULL DEFAULT 0,
    registration    INTEGER NOT NULL DEFAULT 0,
    example         INTEGER NOT NULL DEFAULT 0,
    source          TEXT    NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_start ON events(starts_at, id);
CREATE INDEX events_end ON events(ends_at);

CREATE TABLE event_hosts (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    confirmed_at    INTEGER, -- NULL: invited, not yet confirmed
    PRIMARY KEY (event_id, organisation_id)
);
CREATE INDEX event_hosts_org ON event_hosts(organisation_id, event_id);

CREATE TABLE event_registrations (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status     TEXT    NOT NULL, -- confirmed | waiting
    created_at INTEGER NOT NULL,
    UNIQUE (event_id, user_id)
);
CREATE INDEX event_registrations_queue ON event_registrations(event_id, status, created_at, id);
CREATE INDEX event_registrations_user ON event_registrations(user_id);

CREATE TABLE event_links (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL, -- work | workshop
    ref_id   INTEGER NOT NULL,
    PRIMARY KEY (event_id, kind, ref_id)
);

-- +goose Down
DELETE FROM search_docs WHERE kind = 'event';
DROP TABLE event_links;
DROP TABLE event_registrations;
DROP TABLE event_hosts;
DROP TABLE events;
