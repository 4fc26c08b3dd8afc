DROP TABLE IF EXISTS agent_sessions;
DROP TABLE IF EXISTS workflow_state;
