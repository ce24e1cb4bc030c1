import type { AlertEvent } from '../../alerting/state-machine.ts';

/** What an alert is about, in words a client understands. */
export type Topic = 'agent' | 'host' | 'budget' | 'budgetMissed' | 'backup' | 'updates' | 'certificate' | 'service';

/** Every sentence a notice uses, per language; placeholders are filled by the renderer. */
export interface Catalog {
  locale: string;
  /** 15.01.2025 (de) rather than 15 Jan 2025 (en). */
  numericMonth: boolean;
  subject: {
    /** e.g. "[CRIT] acme · pc-01 · web: firing" */
    technical: Record<AlertEvent, string>;
    plain: Record<'problem' | 'resolved', string>;
    digest: string;
  };
  technical: {
    intro: string;
    event: Record<AlertEvent, string>;
    labels: { client: string; host: string; check: string; kind: string; severity: string; message: string; metrics: string; at: string; incident: string };
    ack: string;
    open: string;
    /** Names what a client-level alert is about in place of host and check. */
    allHosts: string;
    hostDown: string;
    agentQuota: string;
    errorBudget: string;
  };
  /** The notices the fallback SMTP sends when alert mail is not going out, and when it is again. */
  delivery: Record<'failing' | 'recovered', { subject: string; body: string[] }>;
  plain: {
    greeting: string;
    intro: string;
    /** Per topic: what happened (problem) and that it is fixed (resolved). */
    topic: Record<Topic, { problem: string; resolved: string }>;
    flapping: string;
    doing: { problem: string; resolved: string };
    since: string;
    signoff: string;
    footer: string;
  };
}
