-- How many results were ever stored per agent, kept as a counter: counting rows on every status request grew
-- with history, and retention deletes raw rows while "stored" (compared with last_seq) must not shrink.
ALTER TABLE agents ADD COLUMN stored_results INTEGER NOT NULL DEFAULT 0;
UPDATE agents SET stored_results = (SELECT count(*) FROM results r WHERE r.agent_id = agents.id);
