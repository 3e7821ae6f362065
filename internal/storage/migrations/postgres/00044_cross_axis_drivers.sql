-- +goose Up
-- The drivers of a workshop that each axis of a cross stands on (issue 20,
-- item 1): per axis, notes of one workshop. The foreign key to the note
-- keeps a link from naming a driver of another workshop, and a workshop
-- deleted takes its links with it; revisions keep them in their snapshot.
CREATE TABLE cross_axis_drivers (
    cross_id    BIGINT  NOT NULL REFERENCES crosses(id) ON DELETE CASCADE,
    axis        TEXT    NOT NULL, -- x | y
    workshop_id BIGINT  NOT NULL,
    driver_id   BIGINT  NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cross_id, axis, driver_id),
    FOREIGN KEY (workshop_id, driver_id) REFERENCES workshop_notes(workshop_id, id) ON DELETE CASCADE
);
CREATE INDEX cross_axis_drivers_note ON cross_axis_drivers(workshop_id, driver_id);

-- +goose Down
DROP TABLE cross_axis_drivers;
