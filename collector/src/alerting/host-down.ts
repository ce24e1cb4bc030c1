import type { AlertRecord } from '../store/alerts.ts';

/**
 * Pure: the availability engine's rule that a host is down when its designated critical checks are down,
 * applied to alert state: down when it has critical checks and every one of them is FIRING at CRIT.
 * Returns the failing critical checks' ids when down, null when not.
 */
export function hostDownVerdict(criticalCheckIds: readonly string[], checkAlerts: ReadonlyMap<string, AlertRecord>): string[] | null {
  if (criticalCheckIds.length === 0) return null;
  const down = criticalCheckIds.filter((id) => {
    const alert = checkAlerts.get(id);
    return alert !== undefined && alert.memory.state === 'FIRING' && alert.memory.severity === 'CRIT';
  });
  return down.length === criticalCheckIds.length ? down : null;
}
