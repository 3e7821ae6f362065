-- +goose Up
-- The strategy stress test of a cross ("wind tunnelling"): a strategy's
-- goals or actions, and each member's judgement of how each fares in each
-- of the four scenarios.
CREATE TABLE cross_actions (
    id         INTEGER PRIMARY KEY,
    cross_id   INTEGER NOT NULL REFERENCES crosses(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (cross_id, text)
);
CREATE INDEX cross_actions_cross ON cross_actions(cross_id, position);

CREATE TABLE cross_judgements (
    action_id  INTEGER NOT NULL REFERENCES cross_actions(id) ON DELETE CASCADE,
    quadrant   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    verdict    TEXT    NOT NULL, -- robust | adapt | fails
    comment    TEXT    NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (action_id, quadrant, user_id)
);

-- +goose Down
DROP TABLE cross_judgements;
DROP TABLE cross_actions;
