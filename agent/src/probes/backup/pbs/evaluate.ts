import { worstStatus, type BackupConfigOf, type EpochMs, type Status } from '@nines/shared';
import type { CheckOutcome } from '../../../checks/check.ts';
import { evaluateFreshness, freshnessPolicy, type BackupFacts } from '../freshness.ts';
import type { PbsSnapshot } from './parse.ts';

const severity: Record<Status, number> = { OK: 0, UNKNOWN: 1, WARN: 2, CRIT: 3 };

/**
 * Each backup group (a VM, a container, a host) is a job of its own: the newest snapshot of each is judged,
 * a failed verification of it is CRIT, and the check reports the worst group.
 */
export function evaluatePbs(snapshots: readonly PbsSnapshot[], config: BackupConfigOf<'pbs'>, now: EpochMs): CheckOutcome {
  const policy = freshnessPolicy(config);
  const groups = new Map<string, PbsSnapshot[]>();
  for (const s of snapshots) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  if (groups.size === 0) {
    const wanted = config.backupType || config.backupId ? ` ${config.backupType ?? '*'}/${config.backupId ?? '*'}` : '';
    return evaluateFreshness({ subject: `PBS datastore ${config.datastore}${wanted}` }, policy, now);
  }
  const outcomes = [...groups.entries()].map(([group, list]) => {
    const [latest, previous] = [...list].sort((a, b) => b.timeMs - a.timeMs);
    const facts: BackupFacts = {
      subject: `PBS ${group} on ${config.datastore}`,
      lastBackupAt: latest!.timeMs,
      problems: [],
      details: { group, backupTime: latest!.timeMs / 1000, verification: latest!.verification ?? 'none', snapshots: list.length },
    };
    if (latest!.sizeBytes !== undefined) facts.sizeBytes = latest!.sizeBytes;
    if (previous?.sizeBytes !== undefined) facts.previousSizeBytes = previous.sizeBytes;
    if (latest!.verification === 'failed') facts.problems!.push({ status: 'CRIT', reason: `its verification failed (task ${latest!.verifyTask ?? 'unknown'})` });
    return evaluateFreshness(facts, policy, now);
  });
  outcomes.sort((a, b) => severity[b.status] - severity[a.status] || (b.metrics?.age_s ?? 0) - (a.metrics?.age_s ?? 0));
  const worst = outcomes[0]!;
  if (outcomes.length === 1) return worst;
  const notOk = outcomes.filter((o) => o.status !== 'OK').length;
  return {
    status: outcomes.reduce<Status>((s, o) => worstStatus(s, o.status), 'OK'),
    message: `${worst.message}; ${outcomes.length} groups, ${notOk} not OK`,
    ...(worst.code ? { code: worst.code, params: { ...worst.params, groups: outcomes.length, groupsNotOk: notOk } } : {}),
    metrics: { ...worst.metrics, groups: outcomes.length, groups_not_ok: notOk },
    details: { worst: worst.details, groups: outcomes.map((o) => ({ status: o.status, message: o.message })) },
  };
}
