-- +goose Up
-- The digital workshop. Rows inside a workshop are keyed (workshop_id, id)
-- where id is the sequence number of the event that made the row, so a
-- reference can never reach another workshop's row. workshops.last_seq is
-- bumped in the transaction that stores each event: it locks the
-- workshop, so events commit in sequence order with no gaps.
CREATE TABLE workshops (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    title           TEXT    NOT NULL,
    focal_question  TEXT    NOT NULL,
    horizon_year    INTEGER NOT NULL,
    code            TEXT    NOT NULL UNIQUE,
    template        TEXT    NOT NULL,
    stage           INTEGER NOT NULL DEFAULT 0,
    stage_locked    INTEGER NOT NULL DEFAULT 0,
    stage_ends_at   INTEGER NOT NULL DEFAULT 0,
    revealed        INTEGER NOT NULL DEFAULT 0,
    dot_budget      INTEGER NOT NULL,
    status          TEXT    NOT NULL,
    created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    last_seq        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE workshop_participants (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    nickname    TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    group_id    INTEGER NOT NULL DEFAULT 0,
    removed     INTEGER NOT NULL DEFAULT 0,
    token_hash  TEXT UNIQUE,
    joined_at   INTEGER NOT NULL,
    PRIMARY KEY (workshop_id, id)
);
CREATE UNIQUE INDEX workshop_participants_user ON workshop_participants(user_id, workshop_id) WHERE user_id IS NOT NULL;

CREATE TABLE workshop_groups (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    quadrant    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workshop_id, id)
);

CREATE TABLE workshop_notes (
    workshop_id    INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    id             INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    group_id       INTEGER NOT NULL DEFAULT 0,
    steep          TEXT    NOT NULL DEFAULT '',
    text           TEXT    NOT NULL,
    cluster_id     INTEGER NOT NULL DEFAULT 0,
    cluster_name   TEXT    NOT NULL DEFAULT '',
    removed        INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (workshop_id, id)
);
CREATE INDEX workshop_notes_by ON workshop_notes(workshop_id, participant_id);
CREATE INDEX workshop_notes_cluster ON workshop_notes(workshop_id, cluster_id);

CREATE TABLE workshop_ratings (
    workshop_id    INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    note_id        INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    impact         INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    uncertainty    INTEGER NOT NULL CHECK (uncertainty BETWEEN 1 AND 5),
    PRIMARY KEY (workshop_id, note_id, participant_id)
);

CREATE TABLE workshop_votes (
    workshop_id    INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL,
    quadrant       INTEGER NOT NULL CHECK (quadrant BETWEEN 1 AND 4),
    dots           INTEGER NOT NULL CHECK (dots > 0),
    PRIMARY KEY (workshop_id, participant_id, quadrant)
);

CREATE TABLE workshop_axes (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    axis        TEXT    NOT NULL,
    note_id     INTEGER NOT NULL DEFAULT 0,
    label       TEXT    NOT NULL DEFAULT '',
    low         TEXT    NOT NULL DEFAULT '',
    high        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (workshop_id, axis)
);

CREATE TABLE workshop_scenarios (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    quadrant    INTEGER NOT NULL CHECK (quadrant BETWEEN 1 AND 4),
    name        TEXT    NOT NULL DEFAULT '',
    story       TEXT    NOT NULL DEFAULT '',
    life        TEXT    NOT NULL DEFAULT '',
    signs       TEXT    NOT NULL DEFAULT '',
    updated_by  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workshop_id, quadrant)
);

CREATE TABLE workshop_backcast (
    workshop_id    INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    id             INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    parent_id      INTEGER NOT NULL DEFAULT 0,
    year           INTEGER NOT NULL,
    text           TEXT    NOT NULL,
    owner          TEXT    NOT NULL DEFAULT '',
    participant_id INTEGER NOT NULL,
    removed        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workshop_id, id)
);

-- The event log: the history every stream replays from. data_own and
-- data_public are '' when they equal data_full.
CREATE TABLE workshop_events (
    workshop_id    INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    participant_id INTEGER NOT NULL,
    client_id      TEXT    NOT NULL,
    anonymous      INTEGER NOT NULL DEFAULT 0,
    data_full      TEXT    NOT NULL,
    data_own       TEXT    NOT NULL DEFAULT '',
    data_public    TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (workshop_id, seq),
    UNIQUE (workshop_id, client_id)
);

-- +goose Down
DROP TABLE workshop_events;
DROP TABLE workshop_backcast;
DROP TABLE workshop_scenarios;
DROP TABLE workshop_axes;
DROP TABLE workshop_votes;
DROP TABLE workshop_ratings;
DROP TABLE workshop_notes;
DROP TABLE workshop_groups;
DROP TABLE workshop_participants;
DROP TABLE workshops;
