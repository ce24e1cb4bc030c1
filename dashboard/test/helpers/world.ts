import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Test } from 'tap';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import type { Result } from '@nines/shared';
import { buildApp } from '../../../collector/src/app.ts';
import { openTestStoreAt, TEST_STORE } from '../../../collector/test/helpers/test-store.ts';
import { hashPassword, hashSecret, newAgentId, newSecret } from '../../../collector/src/auth/secrets.ts';
import { createEnrollToken } from '../../../collector/src/commands/enroll-token.ts';
import { sendAcked } from '../../../collector/test/helpers/collector.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const DASHBOARD_DIR = join(here, '..', '..');
export const ARTIFACTS = join(here, '..', '..', '..', 'test-artifacts', 'dashboard');
export const PASSWORD = 'correct horse battery';
export const CHROMIUM = process.env.NINES_CHROMIUM ?? '/usr/bin/chromium';

/** Builds dashboard/dist with the same script `npm start` runs. */
/**
 * Builds the dashboard as `npm start` does, into dashboard/dist (`serve` serves that) or, with `own`, into a
 * temporary folder of this test process alone: test files run in parallel and must not serve each other's build.
 */
export function buildDashboard(own = true): string {
  const out = own ? join(mkdtempSync(join(tmpdir(), 'nines-dashboard-')), 'dist') : join(DASHBOARD_DIR, 'dist');
  execFileSync(process.execPath, [join(DASHBOARD_DIR, 'build.mjs'), '--out', out], { stdio: 'inherit' });
  if (own) process.once('exit', () => rmSync(dirname(out), { recursive: true, force: true }));
  return out;
}

export async function launchChromium(): Promise<{ browser: Browser; newContext(locale?: string, viewport?: { width: number; height: number }): Promise<BrowserContext>; close(): Promise<void> }> {
  // launch() gives every run a fresh temporary profile of its own (it refuses --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    newContext: (locale = 'en-GB', viewport = { width: 1280, height: 800 }) => browser.newContext({ locale, viewport }),
    async close() {
      await browser.close();
    },
  };
}

export interface AgentHandle {
  agentId: string;
  secret: string;
  /** Opens the agent socket, says hello, and resolves after the welcome. */
  connect(): Promise<WebSocket>;
  /** Sends a batch over the open socket and waits for its ack. */
  send(socket: WebSocket, batch: Result[]): Promise<void>;
}

/** A real collector on 127.0.0.1:0 serving the built dashboard, on the suite's store kind (helpers/test-store.ts); `clock` fixes its time. */
export async function startDashboardCollector(dashboardDir: string, clock?: () => number) {
  const dir = mkdtempSync(join(tmpdir(), 'nines-dashboard-'));
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  const app: FastifyInstance = await buildApp({ store, dashboardDir, ...(clock ? { clock } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const hash = await hashPassword(PASSWORD);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    app, store, url,
    async addUser(username: string, role: 'admin' | 'client', client?: string) {
      const clientId = client ? (await store.ensureClient(client, Date.now())).id : null;
      await store.createUser({ username, passwordHash: hash, role, clientId }, Date.now());
    },
    async addAgent(client: string, name: string): Promise<AgentHandle> {
      const token = await createEnrollToken(store, client, Date.now());
      const agentId = newAgentId();
      const secret = newSecret();
      const outcome = await store.enrollAgent(hashSecret(token), { id: agentId, name, secretHash: hashSecret(secret), platform: 'linux', agentVersion: '0.1.0' }, Date.now());
      if ('problem' in outcome) throw new Error(outcome.problem);
      return {
        agentId, secret,
        async connect() {
          const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/agent`, { headers: { authorization: `Bearer ${agentId}.${secret}` } });
          await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
          const welcome = new Promise((resolve) => socket.once('message', resolve));
          socket.send(JSON.stringify({ type: 'hello', protocol: 1, agentVersion: '0.1.0', hostname: name, platform: 'linux', bootId: 'b', sentAt: Date.now(), lastSeq: 0, backlog: 0, configVersion: 0 }));
          await welcome;
          return socket;
        },
        send: sendAcked,
      };
    },
    async close() {
      await app.close();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A day of results for one check, one every `stepMs`, latency wandering, optionally failing at the end. */
export function history(checkId: string, kind: string, name: string, firstSeq: number, count: number, stepMs: number, now = Date.now()): Result[] {
  return Array.from({ length: count }, (_, i) => {
    const at = now - (count - i) * stepMs;
    const latency = 20 + Math.round(15 * Math.sin(i / 9) + (i % 7) * 2);
    return {
      seq: firstSeq + i, checkId, kind, name, status: 'OK' as const, message: `HTTP 200 in ${latency} ms`, metrics: { latency_ms: latency }, startedAt: at,
      finishedAt: at + latency, intervalMs: stepMs,
    };
  });
}

/** Logs in through the login form, as a person does, and waits for the overview. */
export async function loginAs(page: Page, baseUrl: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(baseUrl + '/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('form.login button[type=submit]').click();
  await page.locator('#overview').waitFor();
}

/** The usual browser test's world: a fresh dashboard build, a real collector serving it, Chromium; all stopped by `t`. */
export async function startBrowserWorld(t: Test, clock?: () => number) {
  const c = await startDashboardCollector(buildDashboard(), clock);
  const chromium = await launchChromium();
  t.teardown(async () => {
    await chromium.close();
    await c.close();
  });
  return { c, chromium };
}
