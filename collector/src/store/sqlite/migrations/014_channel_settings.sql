-- Channel settings saved in Management (issue 20): a channel kind's collector-wide settings (a Telegram bot token,
-- the ntfy server) as JSON. They take the place of the YAML's `channels.<kind>` for that kind; e-mail's SMTP
-- server stays in the file.
CREATE TABLE channel_settings (
  kind        TEXT PRIMARY KEY,
  settings    TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT
);
