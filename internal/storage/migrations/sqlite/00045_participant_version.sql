-- +goose Up
-- Who takes part in a workshop changes the content version (migration 38)
-- when the participant is a signed-in user: their list of workshops
-- (/workshoppar, /api/v1/workshops) is kept by the viewer cache
-- (app.viewerCache) under the version. A guest's joining, and the notes
-- and votes that come many a second, still do not.
-- +goose StatementBegin
CREATE TRIGGER participant_version_ins AFTER INSERT ON workshop_participants
WHEN NEW.user_id IS NOT NULL BEGIN
    UPDATE content_versions SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER participant_version_upd AFTER UPDATE OF user_id, removed ON workshop_participants
WHEN OLD.user_id IS NOT NEW.user_id OR (NEW.user_id IS NOT NULL AND OLD.removed IS NOT NEW.removed) BEGIN
    UPDATE content_versions SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER participant_version_del AFTER DELETE ON workshop_participants
WHEN OLD.user_id IS NOT NULL BEGIN
    UPDATE content_versions SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER participant_version_del;
DROP TRIGGER participant_version_upd;
DROP TRIGGER participant_version_ins;
