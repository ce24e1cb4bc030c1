import type { Recipient } from '../store/recipients.ts';
import type { AlertEvent, Severity } from './state-machine.ts';
import { quietHoursEnd } from './quiet-hours.ts';

const rank: Record<Severity, number> = { WARN: 1, CRIT: 2 };

function severityPasses(recipient: Recipient, severity: Severity | null): boolean {
  return rank[severity ?? 'WARN'] >= rank[recipient.minSeverity];
}

/**
 * Who hears about an event. New problems go to everyone whose severity filter lets them through; follow-ups
 * (resolved, reminders) only to those who were told about this incident; escalation only to escalation recipients;
 * entering FLAPPING only to technical recipients.
 */
export function recipientsFor(event: AlertEvent, severity: Severity | null, candidates: readonly Recipient[], told: ReadonlySet<number>): Recipient[] {
  return candidates.filter((r) => {
    switch (event) {
      case 'firing':
        return !r.escalationOnly && severityPasses(r, severity);
      case 'flapping':
        // Flapping is the consultant's business: a plain recipient (the client) would read "broken" while it may be up.
        // They hear when it settles into FIRING (a plain problem mail) or, if told of this incident, when it is resolved.
        return r.audience !== 'plain' && !r.escalationOnly && severityPasses(r, severity);
      case 'changed':
        return told.has(r.id) || (!r.escalationOnly && severityPasses(r, severity));
      case 'resolved':
        return told.has(r.id) && r.resolved;
      case 'reminder':
        return told.has(r.id) && r.reminders && !r.escalationOnly;
      case 'escalation':
        return r.escalationOnly && severityPasses(r, severity);
    }
  });
}

/** When a notice may go out: after the grouping window (so close events share a digest) and outside quiet hours. */
export function dueAt(recipient: Recipient, now: number, groupWindowMs: number): number {
  return quietHoursEnd(now + groupWindowMs, recipient.quietHours, recipient.timezone);
}
