-- Foundation: tenants, agents, their checks and raw results. Times are integer ms UTC.
CREATE TABLE clients (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  timezone    TEXT NOT NULL DEFAULT 'Europe/Berlin',
  language    TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
  created_at  INTEGER NOT NULL
);

CREATE TABLE agents (
  id              TEXT PRIMARY KEY,
  client_id       INTEGER NOT NULL REFERENCES clients(id),
  name            TEXT NOT NULL,
  secret_hash     TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  revoked_at      INTEGER,
  hostname        TEXT,
  platform        TEXT,
  agent_version   TEXT,
  boot_id         TEXT,
  last_seen_at    INTEGER,
  connected       INTEGER NOT NULL DEFAULT 0,  -- 1 while a socket is open on a running collector
  clock_offset_ms INTEGER,
  backlog         INTEGER NOT NULL DEFAULT 0,
  last_seq        INTEGER NOT NULL DEFAULT 0,
  config_version  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agents_client ON agents(client_id);

CREATE TABLE enroll_tokens (
  token_hash  TEXT PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER,
  agent_id    TEXT
);

-- Checks known for an agent: assigned by the collector (config_json set) or first seen in results.
CREATE TABLE checks (
  agent_id        TEXT NOT NULL REFERENCES agents(id),
  id              TEXT NOT NULL,
  kind            TEXT NOT NULL,
  name            TEXT NOT NULL,
  config_json     TEXT,
  interval_ms     INTEGER NOT NULL DEFAULT 60000,
  status          TEXT CHECK (status IN ('OK', 'WARN', 'CRIT', 'UNKNOWN')),
  message         TEXT,
  metrics_json    TEXT,
  last_result_at  INTEGER,
  PRIMARY KEY (agent_id, id)
) WITHOUT ROWID;

CREATE TABLE results (
  agent_id     TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  check_id     TEXT NOT NULL,
  status       TEXT NOT NULL,
  message      TEXT NOT NULL,
  metrics_json TEXT NOT NULL,
  details_json TEXT,
  started_at   INTEGER NOT NULL,
  finished_at  INTEGER NOT NULL,
  received_at  INTEGER NOT NULL,
  PRIMARY KEY (agent_id, seq)
) WITHOUT ROWID;
CREATE INDEX results_timeline ON results(agent_id, check_id, started_at);

CREATE TABLE gaps (
  agent_id   TEXT NOT NULL,
  from_seq   INTEGER NOT NULL,
  to_seq     INTEGER NOT NULL,
  from_at    INTEGER NOT NULL,
  to_at      INTEGER NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (agent_id, from_seq)
);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE,
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'client')),
  client_id      INTEGER REFERENCES clients(id),
  language       TEXT,
  created_at     INTEGER NOT NULL
);

CREATE TABLE sessions (
  id_hash     TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);

CREATE TABLE api_tokens (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  last_used_at INTEGER
);
