-- Delivery (issue 7): when the collector judged an agent silent (null while it is heard from),
-- and a time index on spool gaps so availability can find the gaps of a window.
ALTER TABLE agents ADD COLUMN silent_since INTEGER;
CREATE INDEX gaps_time ON gaps(agent_id, to_at);
