import type { AlertEvent } from '../../alerting/state-machine.ts';

/** What a digest's subject counts: new or changed problems, recoveries, flapping, reminders, escalations. */
export type Tally = 'problem' | 'resolved' | 'flapping' | 'reminder' | 'escalation';

export const TALLY_OF: Record<AlertEvent, Tally> = {
  firing: 'problem', changed: 'problem', resolved: 'resolved', flapping: 'flapping', reminder: 'reminder', escalation: 'escalation',
};

/** What an alert is about, in words a client understands. */
export type Topic = 'agent' | 'host' | 'budget' | 'budgetMissed' | 'backup' | 'updates' | 'certificate' | 'security' | 'service';

/** Every sentence a notice uses, per language; placeholders are filled by the renderer. */
export interface Catalog {
  locale: string;
  /** 15.01.2025 (de) rather than 15 Jan 2025 (en). */
  numericMonth: boolean;
  subject: {
    /** e.g. "[CRIT] acme · pc-01 · web: connection refused"; {duration} in resolved, {state} in flapping. */
    technical: Record<AlertEvent, string>;
    /** Several changes in one mail: "[Nines] {summary}: {clients}" (technical) and "{summary}: {clients}" (plain, no tag). */
    digest: { technical: string; plain: string };
    /** The parts of a digest's summary, singular and plural: "2 Störungen, 1 behoben". */
    counts: Record<Tally, { one: string; other: string }>;
  };
  /** Units for durations ("12 Min.", "1 Std. 5 Min."). */
  units: { minute: string; hour: string; day: string; underAMinute: string };
  technical: {
    intro: string;
    event: Record<AlertEvent, string>;
    labels: { client: string; host: string; check: string; kind: string; severity: string; state: string; message: string; metrics: string; at: string; incident: string; duration: string };
    /** The state of a flapping alert, told as it is now: "FLAPPING: 3 outages in 30 min, currently OK". */
    flappingState: string;
    /** The State row of a flapping item: "FLAPPING: {state}". */
    flappingRow: string;
    ack: string;
    open: string;
    /** Names what a client-level alert is about in place of host and check. */
    allHosts: string;
    hostDown: string;
    agentQuota: string;
    errorBudget: string;
  };
  /** A "send test message" from Management: proves the contact point works, says who sent it. */
  test: { title: string; text: string };
  /** Told over another contact point when one channel keeps failing ({channel}, {since}, {failures}, {error}), and when it works again. */
  channel: Record<'failing' | 'recovered', { title: string; text: string }>;
  /** The notices the fallback SMTP sends when alert mail is not going out, and when it is again. */
  delivery: Record<'failing' | 'recovered', { subject: string; body: string[] }>;
  plain: {
    greeting: string;
    intro: string;
    /**
     * Per topic: what happened (problem) and that it is fixed (resolved). security has {finding}, the check's state
     * in one plain sentence (securityFinding in shared/src/security.ts), and {findingShort}, the same without its full stop.
     */
    topic: Record<Topic, { problem: string; resolved: string }>;
    /** Per topic, the subject of a one-change mail: what happened, to what; {duration} in resolved. No tag, no jargon. */
    subject: Record<Topic, { problem: string; resolved: string }>;
    /** How long the problem lasted, in a resolved mail. */
    lasted: string;
    /**
     * Only true sentences about flapping; routing sends a plain recipient no mail for entering FLAPPING (see
     * routing.ts), so these are said only if such an item ever reaches a plain mail. up/down: the current state.
     */
    flapping: { subject: string; up: string; down: string };
    doing: { problem: string; resolved: string };
    since: string;
    signoff: string;
    footer: string;
  };
}
