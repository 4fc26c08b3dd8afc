DROP TRIGGER IF EXISTS events_record_types ON events;
DROP FUNCTION IF EXISTS events_record_types();
DROP TABLE IF EXISTS event_types;
