/**
 * A fixture client for reports: "Bäckerei Müller" (German, Europe/Berlin), June 2026, two hosts.
 * Hand-computed figures: web and mail on srv-01 and the shop check on pos-01 count (weight 1 each, 3 × 30 days
 * measured); web is down 60 min on 10 June from 12:00 local. Allowed: 3 × 43.2 = 129.6 min → met;
 * availability = 1 − 60 / (3 × 43,200) = 99.95370… % → shown 99.953.
 */
import type { Store } from '../../src/store/store.ts';
import type { Result, Status } from '@nines/shared';
import { rawRun, rawValue } from '../helpers/raw-sql.ts';
import { monthRange } from '../../src/availability/index.ts';

export const MONTH = '2026-06';
export const [FROM, TO] = monthRange(MONTH, 'Europe/Berlin');
const MIN = 60_000;
const STEP = 5 * MIN;
export const OUTAGE_FROM = Date.parse('2026-06-10T10:00:00Z'); // 12:00 CEST
export const EXPECTED = { downMs: 60 * MIN, allowedMs: 3 * 2_592_000, percent: '99.953' };

export async function seedBakery(store: Store): Promise<{ clientId: number; server: string; pos: string }> {
  const clientId = (await rawValue<number>(store, `INSERT INTO clients (name, timezone, language, created_at) VALUES ('Bäckerei Müller', 'Europe/Berlin', 'de', 0) RETURNING id`))!;
  const agent = (id: string, name: string) => rawRun(store, `INSERT INTO agents (id, client_id, name, secret_hash, created_at, hostname) VALUES (?, ?, ?, 'x', 0, ?)`, id, clientId, name, name);
  const names: Record<string, string> = {};
  const check = (agentId: string, id: string, kind: string, name: string) => {
    names[id] = name; // results carry the name, as agents send it
    return rawRun(store, `INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, ?, ?, ?, ?)`, agentId, id, kind, name, STEP);
  };
  await agent('srv-01', 'srv-01');
  await agent('pos-01', 'kasse-01');
  await check('srv-01', 'web', 'http', 'Webshop');
  await check('srv-01', 'mail', 'tcp', 'Mail (SMTP)');
  await check('srv-01', 'backup', 'backup', 'Nachtsicherung');
  await check('srv-01', 'patch', 'patch', 'Updates');
  await check('pos-01', 'shop', 'http', 'Kassensystem');
  const seqs: Record<string, number> = { 'srv-01': 0, 'pos-01': 0 };
  const batches: Record<string, Result[]> = { 'srv-01': [], 'pos-01': [] };
  const add = (agentId: string, checkId: string, kind: string, at: number, status: Status, message: string, metrics: Record<string, number> = {}) =>
    batches[agentId]!.push({ seq: ++seqs[agentId]!, checkId, kind, name: names[checkId], status, message, metrics, startedAt: at, finishedAt: at + 100 });
  for (let at = FROM; at < TO; at += STEP) {
    const down = at >= OUTAGE_FROM && at < OUTAGE_FROM + 60 * MIN;
    add('srv-01', 'web', 'http', at, down ? 'CRIT' : 'OK', down ? 'HTTP 502 Bad Gateway' : 'HTTP 200 in 84 ms', { latency_ms: 84 });
    add('srv-01', 'mail', 'tcp', at, 'OK', 'port 25 open', { latency_ms: 3 });
    add('pos-01', 'shop', 'http', at, 'OK', 'HTTP 200', { latency_ms: 20 });
  }
  for (let day = 0; day < 30; day++) {
    const at = FROM + day * 86_400_000 + 6 * 3_600_000;
    add('srv-01', 'backup', 'backup', at, day === 14 ? 'CRIT' : 'OK', day === 14 ? 'restic: repository locked' : 'restic snapshot 3 h old', { age_s: 10_800, size_bytes: 52_400_000_000 });
    add('srv-01', 'patch', 'patch', at, 'WARN', '3 updates pending (1 security), reboot required', { pending: 3, security: 1, reboot_required: 1 });
  }
  for (const [agentId, batch] of Object.entries(batches)) {
    batch.sort((a, b) => a.startedAt - b.startedAt).forEach((r, i) => (r.seq = i + 1));
    for (let i = 0; i < batch.length; i += 500) await store.insertResults(agentId, batch.slice(i, i + 500), 0);
  }
  return { clientId, server: 'srv-01', pos: 'pos-01' };
}
