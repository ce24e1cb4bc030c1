-- Availability and maintenance (issue 8). Times are integer ms UTC; spans are half-open [start, end).

-- Announced work: its span counts MAINTENANCE. Scope: a client, one host (agent_id) or one check (agent_id + check_id).
CREATE TABLE maintenance_windows (
  id           INTEGER PRIMARY KEY,
  client_id    INTEGER NOT NULL REFERENCES clients(id),
  agent_id     TEXT,
  check_id     TEXT,
  title        TEXT NOT NULL DEFAULT '',
  recurrence   TEXT NOT NULL CHECK (recurrence IN ('once', 'daily', 'weekly')),
  starts_at    INTEGER NOT NULL,   -- once: start; recurring: no occurrence starts before this
  ends_at      INTEGER,            -- once: end; recurring: no occurrence starts at or after this (NULL: open)
  local_time   TEXT,               -- recurring: HH:MM in the client's time zone
  duration_ms  INTEGER,            -- recurring: length of each occurrence
  weekdays     INTEGER,            -- weekly: bit set, Monday = 1 … Sunday = 64
  created_at   INTEGER NOT NULL,
  CHECK (check_id IS NULL OR agent_id IS NOT NULL)
);
CREATE INDEX maintenance_windows_client ON maintenance_windows(client_id);

-- Which checks count for the host and the client's SLA; absent rows take the defaults
-- (critical and weight 1 for every kind except backup and patch, which never make a host "down").
CREATE TABLE check_sla (
  agent_id  TEXT NOT NULL,
  check_id  TEXT NOT NULL,
  critical  INTEGER NOT NULL CHECK (critical IN (0, 1)),   -- the host is DOWN when a critical check is DOWN
  weight    INTEGER NOT NULL CHECK (weight >= 0),         -- weight in the client's figure; 0 = not covered
  PRIMARY KEY (agent_id, check_id)
) WITHOUT ROWID;

-- Rollups: per check (check_id) or per host (check_id = ''), one row per UTC hour and per local day of the
-- client. Each row equals the raw computation over its span exactly, so queries add rows and compute only
-- the ragged edges from raw results.
CREATE TABLE availability_hours (
  agent_id        TEXT NOT NULL,
  check_id        TEXT NOT NULL,
  start_at        INTEGER NOT NULL,
  up_ms           INTEGER NOT NULL,
  down_ms         INTEGER NOT NULL,
  unknown_ms      INTEGER NOT NULL,
  maintenance_ms  INTEGER NOT NULL,
  results         INTEGER NOT NULL,
  failures        INTEGER NOT NULL,  -- CRIT results
  latency_p50     REAL,
  latency_p95     REAL,
  latency_p99     REAL,
  PRIMARY KEY (agent_id, check_id, start_at)
) WITHOUT ROWID;

CREATE TABLE availability_days (
  agent_id        TEXT NOT NULL,
  check_id        TEXT NOT NULL,
  start_at        INTEGER NOT NULL,  -- local midnight in the client's time zone
  end_at          INTEGER NOT NULL,  -- next local midnight: 23, 24 or 25 hours later
  up_ms           INTEGER NOT NULL,
  down_ms         INTEGER NOT NULL,
  unknown_ms      INTEGER NOT NULL,
  maintenance_ms  INTEGER NOT NULL,
  results         INTEGER NOT NULL,
  failures        INTEGER NOT NULL,
  latency_p50     REAL,
  latency_p95     REAL,
  latency_p99     REAL,
  PRIMARY KEY (agent_id, check_id, start_at)
) WITHOUT ROWID;

-- Hours whose rollups must be recomputed (new or late results, gaps, maintenance changes); drained by flush.
CREATE TABLE availability_dirty (
  agent_id  TEXT NOT NULL,
  check_id  TEXT NOT NULL,
  hour_at   INTEGER NOT NULL,
  PRIMARY KEY (agent_id, check_id, hour_at)
) WITHOUT ROWID;
