-- +goose Up
-- Facilitators who lend themselves to other organisations, and requests
-- to them with their history (issue 23). Lists are space-delimited with a
-- space at each end (' backcasting megatrends '), so one LIKE matches a
-- whole item on both engines. Each profile is a search document of kind
-- 'facilitator' (signed-in users).
CREATE TABLE facilitators (
    user_id         INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    methods         TEXT    NOT NULL,
    languages       TEXT    NOT NULL,
    regions         TEXT    NOT NULL,
    digital_only    INTEGER NOT NULL DEFAULT 0,
    availability    TEXT    NOT NULL DEFAULT '',
    about_md        TEXT    NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE facilitator_requests (
    id              INTEGER PRIMARY KEY,
    facilitator_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    facilitator_org INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    requester_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    requester_org   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    what            TEXT    NOT NULL,
    wanted_on       INTEGER NOT NULL,
    proposed_on     INTEGER NOT NULL DEFAULT 0,
    for_whom        TEXT    NOT NULL DEFAULT '',
    participants    INTEGER NOT NULL,
    status          TEXT    NOT NULL,
    workshop_id     INTEGER REFERENCES workshops(id) ON DELETE SET NULL,
    report_work_id  INTEGER REFERENCES works(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX facilitator_requests_facilitator ON facilitator_requests(facilitator_id);
CREATE INDEX facilitator_requests_requester ON facilitator_requests(requester_id);
CREATE INDEX facilitator_requests_orgs ON facilitator_requests(facilitator_org, requester_org);

CREATE TABLE facilitator_request_steps (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES facilitator_requests(id) ON DELETE CASCADE,
    actor_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action     TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);
CREATE INDEX facilitator_request_steps_request ON facilitator_request_steps(request_id, id);

-- +goose Down
DELETE FROM search_docs WHERE kind = 'facilitator';
DROP TABLE facilitator_request_steps;
DROP TABLE facilitator_requests;
DROP TABLE facilitators;
