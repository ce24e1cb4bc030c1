-- Each result carries the interval its check ran at (agents send it since the `intervalMs` field; NULL for
-- older rows and agents: the check's interval then). A result covers at most 2 × its own interval, so
-- changing a check's interval never rewrites the past.
ALTER TABLE results ADD COLUMN interval_ms INTEGER;
-- The longest interval any result of the check claimed: how far before a window a read must start to find
-- the result that covers the window's beginning.
ALTER TABLE checks ADD COLUMN max_interval_ms INTEGER NOT NULL DEFAULT 0;
UPDATE checks SET max_interval_ms = interval_ms;
