DROP INDEX events_occurred_idx;
CREATE INDEX events_occurred_idx ON events (occurred_at, position);
