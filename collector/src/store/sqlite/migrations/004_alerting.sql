-- Alerting and notification (issue 9). Times are integer ms UTC.

-- Who is told: per client (client_id set) or about every client (NULL: the consultant).
CREATE TABLE recipients (
  id               INTEGER PRIMARY KEY,
  client_id        INTEGER REFERENCES clients(id),
  name             TEXT NOT NULL,
  email            TEXT NOT NULL,
  audience         TEXT NOT NULL CHECK (audience IN ('technical', 'plain')),
  language         TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
  timezone         TEXT NOT NULL DEFAULT 'Europe/Berlin',
  quiet_from       TEXT,               -- HH:MM local; mail due inside quiet hours waits until quiet_to
  quiet_to         TEXT,
  min_severity     TEXT NOT NULL DEFAULT 'WARN' CHECK (min_severity IN ('WARN', 'CRIT')),
  reminders        INTEGER NOT NULL DEFAULT 1,
  resolved         INTEGER NOT NULL DEFAULT 1,
  escalation_only  INTEGER NOT NULL DEFAULT 0,
  enabled          INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX recipients_unique ON recipients(ifnull(client_id, 0), email);

-- Up to which seq each agent's stored results have been evaluated: evaluation catches up after a crash.
CREATE TABLE alert_cursors (
  agent_id    TEXT PRIMARY KEY,
  last_seq    INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per thing that can alert: a check of an agent, or the agent itself (kind 'agentSilent', subject '').
CREATE TABLE alerts (
  id               INTEGER PRIMARY KEY,
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  agent_id         TEXT NOT NULL REFERENCES agents(id),
  kind             TEXT NOT NULL,      -- 'check' | 'agentSilent'
  subject          TEXT NOT NULL,      -- check id, '' for the agent
  check_kind       TEXT,
  memory_json      TEXT NOT NULL,      -- the state machine's memory (state, counters, flap changes)
  state            TEXT NOT NULL,      -- copy of memory.state, for queries
  severity         TEXT,
  message          TEXT NOT NULL DEFAULT '',
  metrics_json     TEXT NOT NULL DEFAULT '{}',
  incident         INTEGER NOT NULL DEFAULT 0,  -- counts incidents: one incident, one mail thread
  announced_at     INTEGER,            -- when this incident's first notice was written (NULL: not yet, or held back)
  last_notice_at   INTEGER,            -- basis of reminders
  escalated        INTEGER NOT NULL DEFAULT 0,
  acked_at         INTEGER,
  acked_by         TEXT,
  silenced_until   INTEGER,
  updated_at       INTEGER NOT NULL,
  UNIQUE (agent_id, kind, subject)
);
CREATE INDEX alerts_state ON alerts(state);

-- Every notifiable transition; `held` names why no mail was written (maintenance, agent silent, silenced, flapping).
CREATE TABLE alert_transitions (
  id          INTEGER PRIMARY KEY,
  alert_id    INTEGER NOT NULL REFERENCES alerts(id),
  incident    INTEGER NOT NULL,
  event       TEXT NOT NULL,   -- firing | changed | resolved | flapping | reminder | escalation
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  severity    TEXT,
  message     TEXT NOT NULL,
  at          INTEGER NOT NULL,
  held        TEXT
);
CREATE INDEX alert_transitions_alert ON alert_transitions(alert_id, id);

-- The outbox: one row per transition and recipient, written in the transition's transaction.
-- A digest gathers due rows of one recipient into one mail; its Message-ID is fixed before sending.
CREATE TABLE notification_digests (
  id               INTEGER PRIMARY KEY,
  recipient_id     INTEGER NOT NULL REFERENCES recipients(id),
  message_id       TEXT NOT NULL UNIQUE,
  in_reply_to      TEXT,
  created_at       INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  sent_at          INTEGER,
  failed_at        INTEGER,            -- gave up after maxAttempts
  last_error       TEXT
);
CREATE INDEX notification_digests_pending ON notification_digests(sent_at, failed_at, next_attempt_at);

CREATE TABLE notification_outbox (
  id             INTEGER PRIMARY KEY,
  transition_id  INTEGER NOT NULL REFERENCES alert_transitions(id),
  recipient_id   INTEGER NOT NULL REFERENCES recipients(id),
  created_at     INTEGER NOT NULL,
  due_at         INTEGER NOT NULL,     -- end of the grouping window, or of the recipient's quiet hours
  digest_id      INTEGER REFERENCES notification_digests(id),
  UNIQUE (transition_id, recipient_id)
);
CREATE INDEX notification_outbox_due ON notification_outbox(digest_id, due_at);

-- The first mail of an incident to a recipient: later mails answer it (In-Reply-To) so clients thread them.
CREATE TABLE alert_threads (
  alert_id      INTEGER NOT NULL,
  incident      INTEGER NOT NULL,
  recipient_id  INTEGER NOT NULL,
  message_id    TEXT NOT NULL,
  PRIMARY KEY (alert_id, incident, recipient_id)
) WITHOUT ROWID;

-- Spans in which an agent was silent: check results timed inside are held back (one 'agent silent' alert instead).
CREATE TABLE agent_silences (
  agent_id  TEXT NOT NULL,
  from_at   INTEGER NOT NULL,
  to_at     INTEGER,
  PRIMARY KEY (agent_id, from_at)
) WITHOUT ROWID;
