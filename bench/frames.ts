/**
 * frames: the dashboard in real Chromium while 1,000 result updates a second arrive over the agent socket (issue 23:
 * "the browser stays < 16 ms per frame applying 1,000 updates/s"). A real collector serves the built dashboard; a
 * load process runs AGENTS agents × CHECKS checks of one client, each check updated once a second (OK, a new
 * latency: the page applies it in place). Two pages, each first idle then fed for FEED_MS: the client page, which
 * shows all 1,000 checks and gets every result as a live `check` message (scrolled to its host cards, so the rows in
 * view are being updated), and the overview (its client rows).
 *
 * Measured in the page: requestAnimationFrame deltas (the frame interval; a frame whose work overran its budget
 * shows as a late frame) and PerformanceObserver long tasks; from a Chromium trace of the same window, the
 * renderer main thread's top-level tasks summed per 16.7 ms slot, as wall time and as CPU (thread) time.
 * ours: CPU per frame p99 under the feed on the client page; ceiling: the same page idle just before, in the same
 * run (what drawing nothing costs). Met: CPU per frame p99 < 16 ms and no single task of 16 ms CPU, on both pages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { buildApp } from '../collector/src/app.ts';
import { SqliteStore } from '../collector/src/store/sqlite/sqlite-store.ts';
import { hashSecret, newSecret } from '../collector/src/auth/secrets.ts';
import { enrollAgents } from './lib/collector.ts';
import { startLoad } from './lib/child.ts';
import { method } from './lib/method.ts';
import { percentile } from './lib/stats.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const AGENTS = 50;
const CHECKS = 20; // 50 × 20 = 1,000 checks, all on the client page
const RATE = 1_000; // results a second, in all
const FEED_MS = 10_000;
const IDLE_MS = 3_000; // the ceiling: the same page, nothing arriving
const SLOT_MS = 1_000 / 60; // one frame at 60 Hz, the rate headless Chromium draws at here
const BUDGET_MS = 16; // the issue's target for a frame's work
const here = dirname(fileURLToPath(import.meta.url));
/** NINES_BENCH_FRAMES_PROFILE=1: trace the page's timeline events too and print where the main thread's time went. */
const PROFILE = process.env.NINES_BENCH_FRAMES_PROFILE === '1';
/** NINES_BENCH_FRAMES_DASHBOARD=<folder>: build and measure another dashboard tree (an earlier one, for before/after). */
const DASHBOARD = process.env.NINES_BENCH_FRAMES_DASHBOARD ?? join(here, '..', 'dashboard');

/**
 * Installed before the app's script: a rAF loop recording frame deltas, a long-task observer, and counters of live
 * messages received and of updates the page applied (a row's [data-last] rewritten in place; an overview redraw).
 * A string: the page cannot run functions that went through tsx's transform.
 */
const PROBE = `(() => {
  const state = { on: false, deltas: [], longTasks: [], received: 0, appliedRows: 0, overviewDraws: 0, last: 0 };
  window.__frames = {
    start() { Object.assign(state, { on: true, deltas: [], longTasks: [], received: 0, appliedRows: 0, overviewDraws: 0, last: 0 }); },
    stop() { state.on = false; return { deltas: state.deltas, longTasks: state.longTasks, received: state.received, appliedRows: state.appliedRows, overviewDraws: state.overviewDraws }; },
  };
  const frame = (t) => { if (state.on) { if (state.last) state.deltas.push(t - state.last); state.last = t; } else state.last = 0; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => { if (state.on) for (const e of list.getEntries()) state.longTasks.push(e.duration); }).observe({ type: 'longtask' });
  new PerformanceObserver((list) => { if (state.on) for (const e of list.getEntries()) if (e.name === 'nines:overview-rendered') state.overviewDraws++; }).observe({ type: 'mark' });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); if (String(args[0]).includes('/ws/live')) this.addEventListener('message', () => { if (state.on) state.received++; }); }
  };
  document.addEventListener('DOMContentLoaded', () => new MutationObserver((records) => {
    if (state.on) for (const r of records) if (r.attributeName === 'data-last') state.appliedRows++;
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-last'] }));
})();`;

interface PageFigures { deltas: number[]; longTasks: number[]; received: number; appliedRows: number; overviewDraws: number }
/** A trace event; `dur` is wall time, `tdur` the thread's CPU time (both µs). */
interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } }

/**
 * The renderer main thread's busy ms in each 16.7 ms slot of the traced window, from its top-level tasks: wall time,
 * and CPU time (a task's thread time spread over its wall span). On a shared machine a task's wall time includes
 * waiting for a core other processes hold; its CPU time is the work the page did.
 */
function busyPerSlot(trace: Buffer, label: string): { slots: number[]; cpuSlots: number[]; maxTaskMs: number; maxTaskCpuMs: number } {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  if (PROFILE) {
    // Where the main thread's time went, by trace event (nested events overlap: a profile, not a sum).
    const total = new Map<string, number>();
    for (const e of events) if (e.ph === 'X' && e.dur && mains.has(`${e.pid}:${e.tid}`)) total.set(e.name, (total.get(e.name) ?? 0) + e.dur / 1000);
    progress('frames', `${label} profile: ${[...total].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([n, ms]) => `${n} ${Math.round(ms)} ms`).join(', ')}`);
  }
  const tasks = events.filter((e) => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && mains.has(`${e.pid}:${e.tid}`) && e.dur !== undefined);
  // The busiest renderer is the dashboard's (an idle about:blank renderer may exist beside it).
  const byThread = new Map<string, TraceEvent[]>();
  for (const task of tasks) byThread.set(`${task.pid}:${task.tid}`, [...(byThread.get(`${task.pid}:${task.tid}`) ?? []), task]);
  const busiest = [...byThread.values()].sort((a, b) => b.reduce((s, e) => s + e.dur!, 0) - a.reduce((s, e) => s + e.dur!, 0))[0] ?? [];
  if (busiest.length === 0) return { slots: [], cpuSlots: [], maxTaskMs: 0, maxTaskCpuMs: 0 };
  // Nested RunTask events (a task run inside another) would count twice: keep the outermost.
  busiest.sort((a, b) => a.ts - b.ts);
  const top: TraceEvent[] = [];
  for (const task of busiest) if (!top.length || task.ts >= top[top.length - 1]!.ts + top[top.length - 1]!.dur!) top.push(task);
  const from = top[0]!.ts;
  const to = top[top.length - 1]!.ts + top[top.length - 1]!.dur!;
  const slotUs = SLOT_MS * 1000;
  const slots = new Array<number>(Math.ceil((to - from) / slotUs)).fill(0);
  const cpuSlots = new Array<number>(slots.length).fill(0);
  for (const task of top) {
    for (let s = Math.floor((task.ts - from) / slotUs); s * slotUs + from < task.ts + task.dur! && s < slots.length; s++) {
      const start = Math.max(task.ts, from + s * slotUs);
      const end = Math.min(task.ts + task.dur!, from + (s + 1) * slotUs);
      slots[s]! += (end - start) / 1000;
      cpuSlots[s]! += ((end - start) / task.dur!) * ((task.tdur ?? task.dur!) / 1000);
    }
  }
  return { slots, cpuSlots, maxTaskMs: Math.max(...top.map((t) => t.dur! / 1000)), maxTaskCpuMs: Math.max(...top.map((t) => (t.tdur ?? t.dur!) / 1000)) };
}

const stats = (values: number[]) => ({
  p50: round(percentile(values, 50) ?? NaN, 2), p95: round(percentile(values, 95) ?? NaN, 2), p99: round(percentile(values, 99) ?? NaN, 2),
  max: round(values.length ? Math.max(...values) : NaN, 2), n: values.length,
});

async function measure(label: string, browser: Browser, page: Page, ms: number, feed: (() => Promise<{ sent: number; seconds: number }>) | null) {
  await page.evaluate('window.__frames.start()');
  await browser.startTracing(page, { categories: ['toplevel', ...(PROFILE ? ['devtools.timeline', 'v8', 'blink'] : [])] });
  const [fed] = await Promise.all([feed ? feed() : new Promise((r) => setTimeout(r, ms)).then(() => null)]);
  const trace = await browser.stopTracing();
  const figures = (await page.evaluate('window.__frames.stop()')) as PageFigures;
  const busy = busyPerSlot(trace, label);
  return {
    fed, figures, frame: stats(figures.deltas), busy: stats(busy.slots), cpu: stats(busy.cpuSlots), maxTaskMs: round(busy.maxTaskMs, 2), maxTaskCpuMs: round(busy.maxTaskCpuMs, 2),
    lateFrames: figures.deltas.filter((d) => d > SLOT_MS * 1.5).length, slotsOverBudget: busy.slots.filter((b) => b >= BUDGET_MS).length,
    cpuSlotsOverBudget: busy.cpuSlots.filter((b) => b >= BUDGET_MS).length,
  };
}

export default async function run(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-frames-'));
  execFileSync(process.execPath, [join(DASHBOARD, 'build.mjs'), '--out', join(dir, 'dist')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const store = new SqliteStore(join(dir, 'nines.db'));
  const log = pino({ level: 'info', base: { app: 'nines-collector' } }, pino.destination({ dest: join(dir, 'collector.log'), sync: false }));
  const app = await buildApp({ store, dashboardDir: join(dir, 'dist'), loggerInstance: log });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const load = startLoad('frames-load.ts');
  const browser = await chromium.launch({
    executablePath: process.env.NINES_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const credentials = await enrollAgents(store, AGENTS, 'Frames GmbH');
    // Other clients beside it, as the overview has them (idle: their rows do not change).
    for (let c = 0; c < 19; c++) await enrollAgents(store, 1, `Client ${String(c).padStart(2, '0')}`);
    const clientId = (await store.findClient('Frames GmbH'))!.id;
    load.send({ type: 'prime', url, credentials: credentials, checks: CHECKS });
    await load.next('primed', 40_000);
    const session = newSecret();
    const adminId = await store.createUser({ username: 'bench', passwordHash: 'unused', role: 'admin' }, Date.now());
    await store.createSession(hashSecret(session), adminId, Date.now(), Date.now() + 3_600_000);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'nines_session', value: session, url }]);
    await context.addInitScript({ content: PROBE });
    const page = await context.newPage();
    const feed = async () => {
      load.send({ type: 'feed', rate: RATE, durationMs: FEED_MS, checks: CHECKS });
      return load.next<{ sent: number; seconds: number }>('fed', FEED_MS + 20_000);
    };

    await page.goto(`${url}/#/client/${clientId}`);
    await page.locator('tr[data-check]').nth(AGENTS * CHECKS - 1).waitFor({ state: 'attached', timeout: 30_000 });
    await page.locator('#live[data-state=live]').waitFor();
    // The host cards in view, where the results land (the top of the page is the availability table).
    await page.locator('.card.host').first().scrollIntoViewIfNeeded();
    const hostCardsInView = await page.evaluate(`[...document.querySelectorAll('.card.host')].filter((c) => { const r = c.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }).length`) as number;
    progress('frames', `client page shows ${await page.locator('.host tr[data-check]').count()} check rows; idle ${IDLE_MS / 1000} s, then ${RATE}/s for ${FEED_MS / 1000} s`);
    const clientIdle = await measure('client idle', browser, page, IDLE_MS, null);
    const client = await measure('client fed', browser, page, FEED_MS, feed);

    await page.goto(`${url}/#/`);
    await page.locator('#overview table').waitFor();
    await page.locator('#live[data-state=live]').waitFor();
    progress('frames', `overview: idle ${IDLE_MS / 1000} s, then ${RATE}/s for ${FEED_MS / 1000} s`);
    const overviewIdle = await measure('overview idle', browser, page, IDLE_MS, null);
    const overview = await measure('overview fed', browser, page, FEED_MS, feed);

    const ours = client.cpu.p99;
    const ceiling = clientIdle.cpu.p99;
    // The page's own work: CPU time, so another process holding the core does not count against the dashboard
    // (the wall-time figures, late frames and long tasks are reported beside it). A single task of 16 ms CPU
    // cannot fit a frame whatever else happens, so none may reach it.
    const fits = (m: typeof client) => m.cpu.p99 < BUDGET_MS && m.maxTaskCpuMs < BUDGET_MS;
    const row = (m: typeof client) => ({
      // The page's window runs from start() to stop(): the feed, the last acks and the trace's transfer.
      frames: m.figures.deltas.length, framesPerSecond: round(m.figures.deltas.length / (m.figures.deltas.reduce((x, y) => x + y, 0) / 1000 || 1), 1),
      frameIntervalMs: m.frame, mainThreadCpuPerFrameMs: m.cpu, mainThreadBusyPerFrameMs: m.busy, maxTaskCpuMs: m.maxTaskCpuMs, maxTaskMs: m.maxTaskMs,
      lateFrames: m.lateFrames, framesOverBudgetCpu: m.cpuSlotsOverBudget, framesOverBudget: m.slotsOverBudget,
      longTasks: m.figures.longTasks.length, longTaskMaxMs: round(Math.max(0, ...m.figures.longTasks), 1),
      updatesSent: m.fed?.sent ?? 0, updatesPerSecond: m.fed ? round(m.fed.sent / m.fed.seconds, 0) : 0, liveMessagesReceived: m.figures.received,
      rowsUpdatedInPlace: m.figures.appliedRows, overviewRedraws: m.figures.overviewDraws,
    });
    return {
      scenario: 'frames', unit: 'ms main-thread CPU per frame, p99', ours, ceiling, ratio: ratioOf(ours, ceiling), better: 'lower',
      target: `main-thread CPU per frame p99 < ${BUDGET_MS} ms and no task of ${BUDGET_MS} ms CPU or more while applying ${RATE} updates/s (client page of ${AGENTS * CHECKS} checks, and the overview)`,
      met: fits(client) && fits(overview),
      hostCardsInView, client: row(client), clientIdle: row(clientIdle), overview: row(overview), overviewIdle: row(overviewIdle),
      method: method({
        browser: `Chromium ${browser.version()} headless (playwright-core), viewport 1280×800, 60 Hz frames`,
        load: `one child process: ${AGENTS} agents on /ws/agent, ${CHECKS} checks each, each check one OK result a second (${RATE}/s in all, phases spread), acked`,
        measured: `${FEED_MS / 1000} s per page: rAF deltas and longtask entries in the page; a Chromium trace (toplevel tasks of the renderer main thread, dur and tdur) summed per ${SLOT_MS.toFixed(1)} ms slot`,
        ceiling: `the same page idle for ${IDLE_MS / 1000} s just before (no results arriving): its CPU per frame p99`,
        tracing: 'category toplevel, on during idle and fed windows alike (its overhead is in both)',
        dashboard: DASHBOARD,
      }),
    };
  } finally {
    load.send({ type: 'close' });
    await load.next('closed', 5_000).catch(() => undefined);
    await load.stop();
    await browser.close();
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('frames', run);
