-- +goose Up
-- A workshop command's bump of last_seq (and updated_at) is the workshop's
-- live state, not content a cached page shows: it changed the content
-- version (migration 38) 20 times a second in a running workshop, so no
-- page stayed cached anywhere on the site while one ran. An update that
-- leaves last_seq as it was still changes it: a facilitator's edit of the
-- title, stage or status (written in the command's transaction after the
-- bump) and every write outside a command.
DROP TRIGGER content_changed ON workshops;
CREATE CONSTRAINT TRIGGER content_changed AFTER INSERT OR DELETE ON workshops
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_changed();
CREATE CONSTRAINT TRIGGER content_changed_upd AFTER UPDATE ON workshops
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.last_seq = NEW.last_seq) EXECUTE FUNCTION content_changed();

-- +goose Down
DROP TRIGGER content_changed_upd ON workshops;
DROP TRIGGER content_changed ON workshops;
CREATE CONSTRAINT TRIGGER content_changed AFTER INSERT OR UPDATE OR DELETE ON workshops
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_changed();
