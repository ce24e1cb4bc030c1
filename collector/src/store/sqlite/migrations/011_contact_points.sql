-- Contact points (issue 20): a recipient row is one way of reaching someone — an e-mail address, an ntfy topic, a
-- Telegram chat, a webhook. `channel` names the channel kind (notify/channels/registry.ts), `address` is the
-- target's identity within it (what `email` held for mail), `target` the whole target as JSON (NULL for e-mail
-- rows from before this migration: their address is the target). Outbox rows and digests stay per recipient row,
-- so every guarantee of the outbox holds per contact point.
ALTER TABLE recipients RENAME COLUMN email TO address;
ALTER TABLE recipients ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
ALTER TABLE recipients ADD COLUMN target TEXT;
DROP INDEX recipients_unique;
CREATE UNIQUE INDEX recipients_unique ON recipients(ifnull(client_id, 0), channel, address);
