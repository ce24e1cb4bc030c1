-- Scheduled jobs (issue 21): one row per job and slot, the slot being the instant the job was due. The row is
-- inserted before the job runs (INSERT OR IGNORE: whoever inserts it owns the slot), so a slot runs once across
-- restarts, catch-up and several collectors sharing this file. `attempts` counts runs of a failed slot for the
-- retry backoff; `outcome` is 'running', 'ok' or 'failed' (with `error`).
CREATE TABLE job_runs (
  id INTEGER PRIMARY KEY,
  job TEXT NOT NULL,
  slot_at INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 1,
  UNIQUE (job, slot_at)
);
