-- +goose Up
-- A workshop's projector link (issue 19): a read-only token for the
-- room's PC, so it need not be signed in. Only its SHA-256 is kept, as
-- for sessions and guests; one link a workshop, replaced by a new one,
-- gone when revoked.
CREATE TABLE workshop_projector_links (
    workshop_id INTEGER NOT NULL PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);

-- +goose Down
DROP TABLE workshop_projector_links;
