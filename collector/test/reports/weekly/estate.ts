/**
 * A fixture estate for the Monday overview, at Monday 2026-11-30 07:00 Berlin (06:00Z). Exactly one of each
 * problem across two clients, and one quiet client whose near misses must stay unlisted:
 * - Bäckerei Müller (srv-01): backup failing, 2 security updates pending 10 days, reboot pending, disk 91 % used.
 * - Praxis Dr. Weber (web-01): certificate 12 days left, the web check down 60 min on 10 November — of the month's
 *   budget of 2 service checks × 43.2 min = 86.4 min: 60 of 86 min, 69 %; pc-02 silent since Sunday 22:00 Berlin.
 * - Kanzlei Schmidt (nas-01): disk at exactly 85 %, 1 security update pending 3 days, certificate 200 days, backup OK.
 * Results go in through the store as the ingest path stores them; metric names are the agent's.
 */
import type { Result, Status } from '@nines/shared';
import type { Store } from '../../../src/store/store.ts';
import { hashSecret } from '../../../src/auth/secrets.ts';

export const NOW = Date.parse('2026-11-30T06:00:00Z');
export const MONTH_START = Date.parse('2026-10-31T23:00:00Z'); // 1 November 00:00 CET
export const OUTAGE_FROM = Date.parse('2026-11-10T09:00:00Z');
export const SILENT_SINCE = Date.parse('2026-11-29T21:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STEP = 5 * MIN;

export interface Estate {
  clients: { baeckerei: number; praxis: number; kanzlei: number };
  agents: { srv: string; web: string; pc: string; nas: string };
}

async function enroll(store: Store, client: string, id: string, name: string): Promise<number> {
  const { id: clientId } = await store.ensureClient(client, 0);
  const token = `token-${id}`;
  await store.createEnrollToken(hashSecret(token), clientId, 0, DAY);
  const outcome = await store.enrollAgent(hashSecret(token), { id, name, secretHash: hashSecret('s'), platform: 'linux', agentVersion: 'test' }, 0);
  if ('problem' in outcome) throw new Error(outcome.problem);
  return clientId;
}

class Results {
  private readonly batches = new Map<string, Result[]>();
  add(agentId: string, checkId: string, kind: string, name: string, at: number, status: Status, message: string, metrics: Record<string, number>, intervalMs: number) {
    const batch = this.batches.get(agentId) ?? [];
    this.batches.set(agentId, batch);
    batch.push({ seq: 0, checkId, kind, name, status, message, metrics, startedAt: at, finishedAt: at + 100, intervalMs });
  }
  async store(store: Store) {
    for (const [agentId, batch] of this.batches) {
      batch.sort((a, b) => a.startedAt - b.startedAt).forEach((r, i) => (r.seq = i + 1));
      for (let i = 0; i < batch.length; i += 500) await store.insertResults(agentId, batch.slice(i, i + 500), NOW);
    }
  }
}

/** The problem clients (Bäckerei, Praxis) and the quiet one; `quietOnly` seeds only Kanzlei Schmidt. */
export async function seedEstate(store: Store, options: { quietOnly?: boolean } = {}): Promise<Estate> {
  const r = new Results();
  const daily = (agentId: string, checkId: string, kind: string, name: string, days: number, f: (day: number) => [Status, string, Record<string, number>]) => {
    for (let day = days; day >= 0; day--) r.add(agentId, checkId, kind, name, NOW - day * DAY - 30 * MIN, ...f(day), DAY);
  };
  const kanzlei = await enroll(store, 'Kanzlei Schmidt', 'nas-01', 'nas-01');
  daily('nas-01', 'disk', 'disk', 'Daten', 2, () => ['OK', '85 % used', { used_percent: 85, free_bytes: 150e9, total_bytes: 1e12 }]);
  daily('nas-01', 'patch', 'patch', 'Updates', 12, (d) => d >= 3 ? ['OK', 'up to date', { pending: 0, oldest_pending_s: 0, security: 0, reboot_required: 0 }]
    : ['CRIT', '1 security update pending', { pending: 1, oldest_pending_s: d * 86_400, security: 1, reboot_required: 0 }]);
  daily('nas-01', 'cert', 'tls', 'Portal TLS', 2, (d) => ['OK', 'certificate valid', { latency_ms: 40, cert_days_left: 200 + d }]);
  daily('nas-01', 'backup', 'backup', 'Nachtsicherung', 2, () => ['OK', 'restic snapshot 5 h old', { age_s: 18_000 }]);
  if (options.quietOnly) {
    await r.store(store);
    return { clients: { baeckerei: 0, praxis: 0, kanzlei: kanzlei }, agents: { srv: '', web: '', pc: '', nas: 'nas-01' } };
  }

  const baeckerei = await enroll(store, 'Bäckerei Müller', 'srv-01', 'srv-01');
  daily('srv-01', 'backup', 'backup', 'Nachtsicherung', 2, (d) => d === 0 ? ['CRIT', 'restic: repository locked', { age_s: 190_000 }] : ['OK', 'restic snapshot 3 h old', { age_s: 10_800 }]);
  daily('srv-01', 'patch', 'patch', 'Updates', 12, (d) => d > 10 ? ['OK', 'up to date', { pending: 0, oldest_pending_s: 0, security: 0, reboot_required: 0 }]
    : ['CRIT', '2 security updates pending; reboot required', { pending: 5, oldest_pending_s: d * 86_400, security: 2, reboot_required: 1 }]);
  daily('srv-01', 'disk', 'disk', 'System (C:)', 2, () => ['WARN', '91 % used', { used_percent: 91.4, free_bytes: 21e9, total_bytes: 250e9 }]);

  const praxis = await enroll(store, 'Praxis Dr. Weber', 'web-01', 'web-01');
  await enroll(store, 'Praxis Dr. Weber', 'pc-02', 'pc-empfang');
  for (let at = MONTH_START; at < NOW; at += STEP) {
    const down = at >= OUTAGE_FROM && at < OUTAGE_FROM + HOUR;
    r.add('web-01', 'web', 'http', 'Praxis-Website', at, down ? 'CRIT' : 'OK', down ? 'HTTP 502' : 'HTTP 200 in 80 ms', { latency_ms: 80 }, STEP);
    r.add('web-01', 'cert', 'tls', 'Website TLS', at, 'WARN', 'certificate expires in 12 days', { latency_ms: 30, cert_days_left: 12 }, STEP);
  }
  await store.delivery.setSilentSince('pc-02', SILENT_SINCE);
  await r.store(store);
  return { clients: { baeckerei: baeckerei, praxis: praxis, kanzlei: kanzlei }, agents: { srv: 'srv-01', web: 'web-01', pc: 'pc-02', nas: 'nas-01' } };
}
