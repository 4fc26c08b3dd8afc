DROP FUNCTION IF EXISTS event_descendant_links(uuid, integer, integer);
