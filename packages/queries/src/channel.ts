/**
 * The Postgres NOTIFY channel ingest rings after each commit. The payload is only the highest
 * position committed (decimal text), never the event: a doorbell, not a delivery, which keeps it
 * far below the 8000-byte NOTIFY limit whatever the events weigh.
 */
export const EVENTS_CHANNEL = 'historian_events'
