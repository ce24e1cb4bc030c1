/**
 * Load process for live-latency: 1,000 simulated agents each sending one result a second (1,000/s in all)
 * and 20 dashboard sockets on /ws/live. A result carries its send time (wall clock in µs precision from
 * performance.timeOrigin + now(), the same clock the receiver reads). Also the raw ws echo ceiling.
 */
import WebSocket from 'ws';
import { LIVE_WS_PATH } from '@nines/shared';
import { loadChannel } from './child.ts';
import { benchResult, inParallel, WireAgent } from './wire-agent.ts';
import type { AgentCredentials } from './collector.ts';

const channel = loadChannel();
const wallNow = () => performance.timeOrigin + performance.now();

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Every agent sends once a second at its own phase, for durationMs; latencies counted after warmupMs. */
async function paced(count: number, durationMs: number, send: (i: number, seq: number) => void): Promise<void> {
  const timers: NodeJS.Timeout[] = [];
  await new Promise<void>((resolve) => {
    for (let i = 0; i < count; i++) {
      let seq = 0;
      timers.push(setTimeout(() => {
        send(i, ++seq);
        timers.push(setInterval(() => send(i, ++seq), 1_000));
      }, Math.floor((i / count) * 1_000)));
    }
    setTimeout(resolve, durationMs);
  });
  for (const t of timers) clearTimeout(t);
}

channel.on(async (message) => {
  if (message.type === 'live') {
    const { url, credentials, token, dashboards, durationMs, warmupMs } = message as unknown as {
      url: string; credentials: AgentCredentials[]; token: string; dashboards: number; durationMs: number; warmupMs: number;
    };
    const agents = credentials.map((c) => new WireAgent(c));
    await inParallel(agents, 50, async (agent) => void (await agent.connect(url)));
    const latencies: number[] = [];
    let received = 0;
    let measureFrom = Infinity;
    const liveUrl = url.replace(/^http/, 'ws') + LIVE_WS_PATH;
    const sockets = await Promise.all(Array.from({ length: dashboards }, () => openSocket(liveUrl, { authorization: `Bearer ${token}` })));
    for (const socket of sockets) {
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type: string; metrics?: { bench_sent_ms?: number } };
        if (frame.type !== 'check' || frame.metrics?.bench_sent_ms === undefined) return;
        received++;
        if (frame.metrics.bench_sent_ms >= measureFrom) latencies.push(wallNow() - frame.metrics.bench_sent_ms);
      });
    }
    channel.send({ type: 'liveConnected' });
    const base = Date.now() - 120_000;
    measureFrom = wallNow() + warmupMs;
    let sent = 0;
    await paced(agents.length, durationMs, (i, seq) => {
      sent++;
      agents[i]!.send(JSON.stringify({ type: 'results', batch: [benchResult(seq, seq % 50, base + seq, { bench_sent_ms: wallNow() })] }));
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the last frames arrive
    for (const s of sockets) s.terminate();
    for (const a of agents) a.close();
    channel.send({ type: 'liveDone', latencies, sent, received });
  } else if (message.type === 'echo') {
    const { url, count, durationMs, warmupMs } = message as unknown as { url: string; count: number; durationMs: number; warmupMs: number };
    const sockets: WebSocket[] = [];
    await inParallel(Array.from({ length: count }), 50, async () => void sockets.push(await openSocket(url)));
    const latencies: number[] = [];
    const measureFrom = wallNow() + warmupMs;
    for (const socket of sockets) {
      socket.on('message', (data) => {
        const sentAt = Number(data.toString());
        if (sentAt >= measureFrom) latencies.push(wallNow() - sentAt);
      });
    }
    await paced(count, durationMs, (i) => sockets[i]!.send(String(wallNow())));
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const s of sockets) s.terminate();
    channel.send({ type: 'echoDone', latencies });
  }
});
