-- Client status pages (issue 23): one page per client, reached by an unguessable token, its configuration (the
-- services shown under friendly names) as JSON, and the notices the consultant writes for it.
CREATE TABLE status_pages (
  client_id   INTEGER PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  token       TEXT NOT NULL UNIQUE,
  config      TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT
);

CREATE TABLE status_notices (
  id          INTEGER PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('maintenance', 'incident', 'info')),
  texts       TEXT NOT NULL,
  from_at     INTEGER NOT NULL,
  to_at       INTEGER,
  created_at  INTEGER NOT NULL,
  created_by  TEXT
);
CREATE INDEX status_notices_client ON status_notices (client_id, from_at);
