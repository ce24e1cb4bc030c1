-- Monthly and yearly reports by e-mail (issue 21). `reports` marks the contact points that receive them: a client's
-- e-mail contact points by default, nobody else (the consultant gets a copy by reports.monthly.copyToConsultant).
-- `report_sends` makes sending exactly once: a row with its fixed Message-ID is written before the mail goes out and
-- marked sent after, so a crash in between resends the same message once and a second run sends nothing.
ALTER TABLE recipients ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;
UPDATE recipients SET reports = 1 WHERE client_id IS NOT NULL AND channel = 'email';

CREATE TABLE report_sends (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  -- 'YYYY-MM' for a monthly report, 'YYYY' for a yearly summary
  period TEXT NOT NULL,
  recipient_id INTEGER NOT NULL REFERENCES recipients(id) ON DELETE CASCADE,
  -- 0 for the scheduled send; a resend on request counts up, so each resend is its own row and message
  resend INTEGER NOT NULL DEFAULT 0,
  message_id TEXT NOT NULL,
  rendered_at INTEGER NOT NULL,
  sent_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  UNIQUE (client_id, period, recipient_id, resend)
);
CREATE INDEX report_sends_unsent ON report_sends(sent_at) WHERE sent_at IS NULL;
