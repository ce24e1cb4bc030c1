-- Issue 22: security and backup-verification kinds no longer count as service downtime by default
-- (NON_SERVICE_KINDS in collector/src/availability/source.ts, the same list as below). The default is not
-- stored: check_sla holds only roles the consultant set (setCheckSla), so a check without a row follows the new
-- default by itself and an explicit role stays as it is. What is stored is the host rollups computed under the
-- old default, where such a check's CRIT made the host DOWN: those hours are marked for recomputation, from
-- 26 h before the agent's oldest raw result on (as setCheckSla does: older hours cannot be recomputed and keep
-- their figures). Client figures weigh check rollups at query time and need nothing.
WITH affected AS (
  SELECT DISTINCT c.agent_id FROM checks c
  LEFT JOIN check_sla s ON s.agent_id = c.agent_id AND s.check_id = c.id
  WHERE s.agent_id IS NULL
    AND c.kind IN ('backup-integrity', 'backup-churn', 'antivirus', 'firewall', 'logins', 'encryption', 'smart', 'eventlog', 'admins')
), oldest AS (
  SELECT r.agent_id, MIN(r.started_at) AS first_at FROM results r WHERE r.agent_id IN (SELECT agent_id FROM affected) GROUP BY r.agent_id
)
INSERT OR IGNORE INTO availability_dirty (agent_id, check_id, hour_at)
SELECT h.agent_id, h.check_id, h.start_at FROM availability_hours h JOIN oldest o ON o.agent_id = h.agent_id
WHERE h.check_id = '' AND h.start_at >= o.first_at - 93600000;
