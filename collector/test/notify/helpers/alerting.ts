import type { AlertingConfig, ChannelsConfig, SmtpConfig, Status } from '@nines/shared';
import { startCollector, result, type TestCollector } from '../../helpers/collector.ts';
import type { AlertingService } from '../../../src/alerting/service.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';
import { hashSecret, newSecret } from '../../../src/auth/secrets.ts';

/** A bearer token of a new user with this role (and client), for API calls through `app.inject`. */
export async function apiToken(c: TestCollector, role: 'admin' | 'client', clientId: number | null = null): Promise<string> {
  const token = newSecret();
  const userId = await c.store.createUser({ username: `${role}-${token.slice(0, 6)}`, passwordHash: 'unused', role, clientId }, Date.now());
  await c.store.createApiToken(hashSecret(token), userId, 'test', Date.now());
  return token;
}

export const CONSULTANT = { name: 'Karin Berger', email: 'karin@consult.example', audience: 'technical', language: 'en', timezone: 'Europe/Berlin' } as const;
export const CLIENT_CONTACT = { name: 'Herr Huber', email: 'huber@acme.example', client: 'acme', audience: 'plain', language: 'de', timezone: 'Europe/Berlin', reminders: false } as const;

export interface AlertingRig {
  c: TestCollector;
  smtp: TestSmtp;
  service: AlertingService;
  agentId: string;
  now(): number;
  /** Moves the fake clock on, keeps the agent "heard" (no silence verdicts unless wanted), and runs one alerting pass. */
  step(ms: number, options?: { heard?: boolean }): Promise<void>;
  /** Stores results of one check a minute apart (as the ingest path would) and runs a pass after each. */
  feed(statuses: Status[], check?: { checkId?: string; kind?: string; name?: string; message?: string; code?: string; params?: Record<string, string | number>; metrics?: Record<string, number> }): Promise<void>;
  close(): Promise<void>;
}

/** A real collector (fake clock) and a real SMTP server on loopback, with alerting started as serve would. */
export async function alertingRig(
  options: { alerting?: AlertingConfig; smtp?: Partial<SmtpConfig>; channels?: ChannelsConfig; start?: number; smtpOptions?: Parameters<typeof startSmtp>[0] } = {},
): Promise<AlertingRig> {
  let now = options.start ?? Date.UTC(2025, 0, 15, 9, 0, 0); // 10:00 in Berlin, a Wednesday
  const c = await startCollector({ clock: () => now });
  const smtp = await startSmtp(options.smtpOptions);
  const { agentId } = await c.addAgent('acme');
  await c.store.recordHello(agentId, { hostname: 'pc-empfang', platform: 'linux', agentVersion: 'test', bootId: 'b', clockOffsetMs: 0, backlog: 0, seenAt: now });
  const service = c.app.alerting;
  await service.start({
    smtp: { host: '127.0.0.1', port: smtp.port, from: 'Nines Alerts <alerts@consult.example>', timeout: '5s', ...options.smtp },
    alerting: { tick: '1h', groupWindow: '30s', brand: 'Berger IT', recipients: [CONSULTANT, CLIENT_CONTACT], ...options.alerting },
    channels: options.channels,
    publicUrl: c.url,
  });
  const rig: AlertingRig = {
    c, smtp, service, agentId,
    now: () => now,
    async step(ms, { heard = true } = {}) {
      now += ms;
      if (heard) await c.app.delivery.silence.heard(agentId, now);
      await service.runOnce();
    },
    async feed(statuses, check = {}) {
      for (const status of statuses) {
        now += 60_000;
        const seq = (await c.store.getAgent(agentId))!.lastSeq + 1;
        const r = result(seq, {
          checkId: check.checkId ?? 'web', kind: check.kind ?? 'http', name: check.name ?? 'Website', status,
          message: check.message ?? (status === 'OK' ? 'HTTP 200 in 12 ms' : 'connection refused'), ...(check.metrics ? { metrics: check.metrics } : {}), startedAt: now - 1000, finishedAt: now - 900,
          ...(check.code && status !== 'OK' ? { code: check.code, params: check.params ?? {} } : {}),
        });
        await c.store.insertResults(agentId, [r], now);
        await c.app.delivery.silence.heard(agentId, now);
        await service.runOnce();
      }
    },
    async close() {
      await c.close();
      await smtp.close();
    },
  };
  return rig;
}
