-- Projections derived only from `events` (DESIGN 4); `pnpm rebuild-projections` replays them.
-- packages/queries/src/projections/rules.ts says where each column comes from and how two
-- partial rows merge. Every merge is order-free: least/greatest, sums, sorted sets, and
-- "the value of the latest event", which compares (occurred_at, position) keys. A `_at` /
-- `_position` pair next to a column is the key of the event its value came from.

CREATE TABLE workflow_state (
  workflow_id             text        PRIMARY KEY,
  workflow_type           text,
  workflow_type_at        timestamptz,
  workflow_type_position  bigint,
  current_phase           text,
  current_phase_at        timestamptz,
  current_phase_position  bigint,
  current_agent           text,
  current_agent_at        timestamptz,
  current_agent_position  bigint,
  started_at              timestamptz NOT NULL,
  first_position          bigint      NOT NULL,
  updated_at              timestamptz NOT NULL,
  last_position           bigint      NOT NULL,
  last_event_id           uuid        NOT NULL,
  last_event_type         text        NOT NULL,
  -- What the latest event makes the status: when an earlier event exists, and when it is the
  -- only one (`started`/`created` read `initiated` for the first event only).
  last_status             text        NOT NULL,
  last_status_if_first    text        NOT NULL,
  status                  text        NOT NULL GENERATED ALWAYS AS (
    CASE WHEN first_position = last_position THEN last_status_if_first ELSE last_status END
  ) STORED,
  completed_at            timestamptz,
  event_count             bigint      NOT NULL,
  session_ids             text[]      NOT NULL DEFAULT '{}',
  checkpoint_ids          text[]      NOT NULL DEFAULT '{}'
);

-- `GET /workflows` reads newest first by (updated_at, workflow_id), optionally per status/type.
CREATE INDEX workflow_state_updated_idx ON workflow_state (updated_at, workflow_id);
CREATE INDEX workflow_state_status_idx ON workflow_state (status, updated_at, workflow_id);
CREATE INDEX workflow_state_type_idx ON workflow_state (workflow_type, updated_at, workflow_id);

CREATE TABLE agent_sessions (
  session_id                  text        PRIMARY KEY,
  agent_name                  text,
  agent_name_at               timestamptz,
  agent_name_position         bigint,
  agent_type                  text,
  agent_type_at               timestamptz,
  agent_type_position         bigint,
  workflow_id                 text,
  workflow_id_at              timestamptz,
  workflow_id_position        bigint,
  latest_checkpoint           text,
  latest_checkpoint_at        timestamptz,
  latest_checkpoint_position  bigint,
  -- Set by lifecycle events only; a session none of them has touched yet is active.
  lifecycle_status            text,
  lifecycle_status_at         timestamptz,
  lifecycle_status_position   bigint,
  status                      text        NOT NULL GENERATED ALWAYS AS (
    COALESCE(lifecycle_status, 'active')
  ) STORED,
  first_seen_at               timestamptz NOT NULL,
  last_seen_at                timestamptz NOT NULL,
  event_count                 bigint      NOT NULL
);

-- `GET /agents` reads newest first by (last_seen_at, session_id), optionally per agent/status.
CREATE INDEX agent_sessions_last_seen_idx ON agent_sessions (last_seen_at, session_id);
CREATE INDEX agent_sessions_agent_idx ON agent_sessions (agent_name, last_seen_at, session_id);
CREATE INDEX agent_sessions_status_idx ON agent_sessions (status, last_seen_at, session_id);
