-- Compact stored results (issue 18): a result cost ~300 bytes of file, measured with 50 http checks whose results
-- the real http check shaped. Most of it was text stored per row: the agent's UUID twice (row and index), the check
-- id twice, and message, metrics, code and params as JSON (~120 bytes). Now:
--  * agents and checks get small integer keys (result_agents, result_checks); rows and the timeline index hold those.
--  * status is an integer (0 OK, 1 WARN, 2 CRIT, 3 UNKNOWN: SQLite stores 0 and 1 in no bytes at all).
--  * finished_at and received_at are kept as milliseconds after started_at (one to three bytes instead of six);
--    delivery reads finished_at, nothing reads received_at, but dropping it would lose what a row said.
--  * message, metrics, details, code and params are stored once per distinct combination (result_contents) and
--    rows point at it. "NULL when equal to the previous row" would not work for http: the latency is in the message,
--    metrics and params, so consecutive rows differ; yet "HTTP 200 in 64 ms" with its metrics is the same content
--    for every check and every day it happens, so a few hundred contents serve millions of rows. Retention deletes
--    contents no row points at any more. Checks whose content is unique each time (a disk's free bytes) gain less.
-- The view `results` shows the rows exactly as the table did (same columns, same values, same order of columns),
-- so readers kept their queries; its triggers take INSERT and DELETE the way the table did, for tools and tests
-- that write rows by hand. The ingest writes the compact tables directly (results.ts).
-- No foreign keys from result_rows: checking three parents on every ingested row, and every result_rows row when
-- retention deletes a content, would cost more than the keys save; only results.ts and these triggers write them.

CREATE TABLE result_agents (
  id        INTEGER PRIMARY KEY,
  agent_id  TEXT NOT NULL UNIQUE
);

CREATE TABLE result_checks (
  id               INTEGER PRIMARY KEY,
  result_agent_id  INTEGER NOT NULL,
  check_id         TEXT NOT NULL,
  UNIQUE (result_agent_id, check_id)
);

CREATE TABLE result_contents (
  id            INTEGER PRIMARY KEY,
  hash          INTEGER NOT NULL, -- nines_content_hash of the five columns below (content-hash.ts)
  message       TEXT NOT NULL,
  metrics_json  TEXT NOT NULL,
  details_json  TEXT,
  code          TEXT,
  params_json   TEXT
);
-- Looked up by the hash, then the columns compared (with `IS` for the nullable ones): an index on the texts would
-- store every distinct content twice, which for a check whose content is new each time cost more than the old row.
CREATE INDEX result_contents_hash ON result_contents(hash);

CREATE TABLE result_rows (
  result_agent_id    INTEGER NOT NULL,
  seq                INTEGER NOT NULL,
  result_check_id    INTEGER NOT NULL,
  status             INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3),
  started_at         INTEGER NOT NULL,
  finished_ms        INTEGER NOT NULL, -- finished_at - started_at
  received_ms        INTEGER NOT NULL, -- received_at - started_at
  interval_ms        INTEGER,
  result_content_id  INTEGER NOT NULL,
  PRIMARY KEY (result_agent_id, seq)
) WITHOUT ROWID;
-- seq after started_at: readers order by (started_at, seq) within a check.
CREATE INDEX result_rows_timeline ON result_rows(result_check_id, started_at, seq);

INSERT INTO result_agents (agent_id) SELECT DISTINCT agent_id FROM results ORDER BY agent_id;
INSERT INTO result_checks (result_agent_id, check_id)
  SELECT DISTINCT a.id, r.check_id FROM results r JOIN result_agents a ON a.agent_id = r.agent_id ORDER BY a.id, r.check_id;
-- DISTINCT takes two NULLs as equal: one content per combination.
INSERT INTO result_contents (hash, message, metrics_json, details_json, code, params_json)
  SELECT nines_content_hash(message, metrics_json, details_json, code, params_json), message, metrics_json, details_json, code, params_json
  FROM (SELECT DISTINCT message, metrics_json, details_json, code, params_json FROM results);
-- A status outside the four becomes NULL, fails NOT NULL and with it the whole migration: nothing is stored as something else.
INSERT INTO result_rows (result_agent_id, seq, result_check_id, status, started_at, finished_ms, received_ms, interval_ms, result_content_id)
  SELECT a.id, r.seq, c.id, CASE r.status WHEN 'OK' THEN 0 WHEN 'WARN' THEN 1 WHEN 'CRIT' THEN 2 WHEN 'UNKNOWN' THEN 3 END,
         r.started_at, r.finished_at - r.started_at, r.received_at - r.started_at, r.interval_ms, t.id
  FROM results r
  JOIN result_agents a ON a.agent_id = r.agent_id
  JOIN result_checks c ON c.result_agent_id = a.id AND c.check_id = r.check_id
  JOIN result_contents t ON t.hash = nines_content_hash(r.message, r.metrics_json, r.details_json, r.code, r.params_json)
    AND t.message = r.message AND t.metrics_json = r.metrics_json AND t.details_json IS r.details_json
    AND t.code IS r.code AND t.params_json IS r.params_json;
DROP TABLE results;

CREATE VIEW results AS
  SELECT a.agent_id, r.seq, c.check_id,
         CASE r.status WHEN 0 THEN 'OK' WHEN 1 THEN 'WARN' WHEN 2 THEN 'CRIT' WHEN 3 THEN 'UNKNOWN' END AS status,
         t.message, t.metrics_json, t.details_json, r.started_at, r.started_at + r.finished_ms AS finished_at,
         r.started_at + r.received_ms AS received_at, r.interval_ms, t.code, t.params_json
  FROM result_rows r
  JOIN result_agents a ON a.id = r.result_agent_id
  -- Both keys, though the check's id alone would find it: so that a query by agent and check can start at the
  -- check's key (agent, check_id) and walk result_rows_timeline rather than every row of the agent.
  JOIN result_checks c ON c.id = r.result_check_id AND c.result_agent_id = a.id
  -- LEFT: a query that reads no content column skips the join (SQLite drops an unused LEFT JOIN on a primary key).
  LEFT JOIN result_contents t ON t.id = r.result_content_id;

-- An INSERT OR IGNORE into the view ignores a stored (agent, seq) as the table did: the statement's conflict
-- clause applies to the trigger's statements. An unknown status leaves status NULL and fails NOT NULL.
CREATE TRIGGER results_insert INSTEAD OF INSERT ON results
BEGIN
  INSERT OR IGNORE INTO result_agents (agent_id) VALUES (NEW.agent_id);
  INSERT OR IGNORE INTO result_checks (result_agent_id, check_id) SELECT id, NEW.check_id FROM result_agents WHERE agent_id = NEW.agent_id;
  INSERT INTO result_contents (hash, message, metrics_json, details_json, code, params_json)
    SELECT nines_content_hash(NEW.message, NEW.metrics_json, NEW.details_json, NEW.code, NEW.params_json),
           NEW.message, NEW.metrics_json, NEW.details_json, NEW.code, NEW.params_json
    WHERE NOT EXISTS (SELECT 1 FROM result_contents WHERE hash = nines_content_hash(NEW.message, NEW.metrics_json, NEW.details_json, NEW.code, NEW.params_json)
      AND message = NEW.message AND metrics_json = NEW.metrics_json
      AND details_json IS NEW.details_json AND code IS NEW.code AND params_json IS NEW.params_json);
  INSERT INTO result_rows (result_agent_id, seq, result_check_id, status, started_at, finished_ms, received_ms, interval_ms, result_content_id)
    SELECT a.id, NEW.seq, c.id, CASE NEW.status WHEN 'OK' THEN 0 WHEN 'WARN' THEN 1 WHEN 'CRIT' THEN 2 WHEN 'UNKNOWN' THEN 3 END,
           NEW.started_at, NEW.finished_at - NEW.started_at, NEW.received_at - NEW.started_at, NEW.interval_ms,
           (SELECT id FROM result_contents WHERE hash = nines_content_hash(NEW.message, NEW.metrics_json, NEW.details_json, NEW.code, NEW.params_json)
              AND message = NEW.message AND metrics_json = NEW.metrics_json
              AND details_json IS NEW.details_json AND code IS NEW.code AND params_json IS NEW.params_json)
    FROM result_agents a JOIN result_checks c ON c.result_agent_id = a.id AND c.check_id = NEW.check_id
    WHERE a.agent_id = NEW.agent_id;
END;

CREATE TRIGGER results_delete INSTEAD OF DELETE ON results
BEGIN
  DELETE FROM result_rows WHERE result_agent_id = (SELECT id FROM result_agents WHERE agent_id = OLD.agent_id) AND seq = OLD.seq;
END;
