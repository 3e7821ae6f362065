-- +goose Up
-- Who takes part in a workshop changes the content version (migration 38)
-- when the participant is a signed-in user: their list of workshops
-- (/workshoppar, /api/v1/workshops) is kept by the viewer cache
-- (app.viewerCache) under the version. A guest's joining, and the notes
-- and votes that come many a second, still do not. Deferred to the
-- commit like the other content triggers.
CREATE CONSTRAINT TRIGGER participant_version_ins AFTER INSERT ON workshop_participants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.user_id IS NOT NULL) EXECUTE FUNCTION content_changed();
CREATE CONSTRAINT TRIGGER participant_version_upd AFTER UPDATE OF user_id, removed ON workshop_participants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id OR (NEW.user_id IS NOT NULL AND OLD.removed IS DISTINCT FROM NEW.removed))
    EXECUTE FUNCTION content_changed();
CREATE CONSTRAINT TRIGGER participant_version_del AFTER DELETE ON workshop_participants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.user_id IS NOT NULL) EXECUTE FUNCTION content_changed();

-- +goose Down
DROP TRIGGER participant_version_del ON workshop_participants;
DROP TRIGGER participant_version_upd ON workshop_participants;
DROP TRIGGER participant_version_ins ON workshop_participants;
