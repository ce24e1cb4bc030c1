import { coded, type AdminsCheckConfig } from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';

const SHOWN = 5; // names in the message; the rest are counted, all are in details

/**
 * Members not in the baseline are CRIT (newAdminStatus) until the consultant accepts them; removed members are
 * named but OK (fewer admins are no risk). Names compare case-insensitively: Windows does not tell ALICE from alice.
 */
export function evaluateAdmins(
  current: { group: string; members: readonly string[] }, baseline: readonly string[] | undefined, config: Pick<AdminsCheckConfig, 'newAdminStatus'>,
): CheckOutcome {
  const key = (n: string) => n.toLowerCase();
  const accepted = new Set((baseline ?? current.members).map(key));
  const present = new Set(current.members.map(key));
  const added = current.members.filter((m) => !accepted.has(key(m)));
  const removed = (baseline ?? []).filter((m) => !present.has(key(m)));
  const list = (names: readonly string[]) => (names.length ? names.slice(0, SHOWN).join(', ') + (names.length > SHOWN ? ` (+${names.length - SHOWN})` : '') : undefined);
  return {
    status: added.length ? (config.newAdminStatus ?? 'CRIT') : 'OK',
    metrics: { admins: current.members.length, new_admins: added.length },
    details: { group: current.group, members: current.members, added, removed },
    ...coded('admins.state', {
      group: current.group,
      members: current.members.length,
      names: list(current.members),
      added: list(added),
      removed: list(removed),
      learning: baseline === undefined ? 1 : undefined,
    }),
  };
}
