-- Alerting beyond checks (issue 9): alerts about a whole client (error budget) have no agent, so alerts.agent_id
-- becomes nullable. SQLite cannot drop NOT NULL in place: the table is rebuilt. Foreign keys from alert_transitions
-- are deferred to the commit, when every alert row is back under the same id.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE alerts_before_007 AS SELECT * FROM alerts;
DROP TABLE alerts;
CREATE TABLE alerts (
  id               INTEGER PRIMARY KEY,
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  agent_id         TEXT REFERENCES agents(id),   -- NULL: about the whole client (kind 'budget')
  kind             TEXT NOT NULL,      -- 'check' | 'agentSilent' | 'hostDown' | 'budget'
  subject          TEXT NOT NULL,      -- check id; '' for the agent; 'YYYY-MM:percent' for a budget threshold
  check_kind       TEXT,
  memory_json      TEXT NOT NULL,
  state            TEXT NOT NULL,
  severity         TEXT,
  message          TEXT NOT NULL DEFAULT '',
  metrics_json     TEXT NOT NULL DEFAULT '{}',
  incident         INTEGER NOT NULL DEFAULT 0,
  announced_at     INTEGER,
  last_notice_at   INTEGER,
  escalated        INTEGER NOT NULL DEFAULT 0,
  acked_at         INTEGER,
  acked_by         TEXT,
  silenced_until   INTEGER,
  updated_at       INTEGER NOT NULL,
  UNIQUE (agent_id, kind, subject)
);
INSERT INTO alerts SELECT * FROM alerts_before_007;
DROP TABLE alerts_before_007;
CREATE INDEX alerts_state ON alerts(state);
-- NULLs are distinct in UNIQUE: client-level alerts are unique per client, kind and subject instead.
CREATE UNIQUE INDEX alerts_client_subject ON alerts(client_id, kind, subject) WHERE agent_id IS NULL;
