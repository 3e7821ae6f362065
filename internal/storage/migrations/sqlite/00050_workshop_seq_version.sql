-- +goose Up
-- A workshop command's bump of last_seq (and updated_at) is the workshop's
-- live state, not content a cached page shows: it changed the content
-- version (migration 38) 20 times a second in a running workshop, so no
-- page stayed cached anywhere on the site while one ran. An update that
-- leaves last_seq as it was still changes it: a facilitator's edit of the
-- title, stage or status (written in the command's transaction after the
-- bump) and every write outside a command.
DROP TRIGGER IF EXISTS content_changed_workshops_upd;
-- +goose StatementBegin
CREATE TRIGGER content_changed_workshops_upd AFTER UPDATE ON workshops
WHEN OLD.last_seq = NEW.last_seq BEGIN
    UPDATE content_versions SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER content_changed_workshops_upd;
-- +goose StatementBegin
CREATE TRIGGER content_changed_workshops_upd AFTER UPDATE ON workshops BEGIN
    UPDATE content_versions SET n = n + 1;
END;
-- +goose StatementEnd
