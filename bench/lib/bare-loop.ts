/**
 * Load-side process for steady: the ceiling. A bare undici `request()` loop (keep-alive global dispatcher) making the
 * same GETs as the agent's checks at the same rate: each path once per interval, first at a random offset within it
 * (as the scheduler spreads checks). Its CPU is read from /proc by the scenario; it counts what it completed.
 */
import { request } from 'undici';
import { loadChannel } from './child.ts';

const channel = loadChannel();
let completed = 0;
let failed = 0;
const timers: NodeJS.Timeout[] = [];

async function get(url: string): Promise<void> {
  try {
    const response = await request(url);
    await response.body.dump();
    completed++;
  } catch {
    failed++;
  }
}

channel.on((message) => {
  if (message.type === 'start') {
    const { urls, intervalMs } = message as unknown as { urls: string[]; intervalMs: number };
    for (const url of urls) {
      timers.push(setTimeout(() => {
        void get(url);
        timers.push(setInterval(() => void get(url), intervalMs));
      }, Math.random() * intervalMs));
    }
    channel.send({ type: 'started' });
  }
  if (message.type === 'count') channel.send({ type: 'count', completed, failed });
  if (message.type === 'stop') {
    for (const t of timers) (clearTimeout(t), clearInterval(t));
    channel.send({ type: 'stopped' });
  }
});
