-- Agent upgrade settings saved through the API (issue 19): whether agents install a newer published build by
-- themselves. One row at most; while it exists it wins over the YAML's `upgrade.automatic`.
CREATE TABLE upgrade_settings (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  automatic   INTEGER NOT NULL CHECK (automatic IN (0, 1)),
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT
);
