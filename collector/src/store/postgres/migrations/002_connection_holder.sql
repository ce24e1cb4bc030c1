-- Which collector holds an agent's socket (its coordination instance, postgres/coordination.ts). Several collectors
-- share this table: each releases only its own marks, and the leader releases those of collectors that are gone
-- (killed: no close handler ran). NULL for marks written before this column, which no running collector claims.
ALTER TABLE agents ADD COLUMN connected_by TEXT;
