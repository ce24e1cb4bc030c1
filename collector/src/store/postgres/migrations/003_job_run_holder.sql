-- Which collector claimed a slot (its coordination instance, postgres/coordination.ts): a slot still 'running' whose
-- collector's session is gone was abandoned (kill -9 in the middle of a report) and is failed by the leader, so
-- another collector's retry sends what was not sent.
ALTER TABLE job_runs ADD COLUMN claimed_by TEXT;
