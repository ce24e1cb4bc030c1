-- Which run of the collector claimed a slot (its coordination instance): a slot still 'running' when another run
-- starts was abandoned by a collector that died in it, and is failed so the retry sends what was not sent.
ALTER TABLE job_runs ADD COLUMN claimed_by TEXT;
