/**
 * Load process for the frames bench: agents on the real agent socket, each with CHECKS checks. `prime` sends one OK
 * result per check and waits for the acks (so the dashboard has rows to show); `feed` then sends `rate` results a
 * second in all, spread evenly: every agent one result per tick for its next check in turn, so each check is
 * updated once a second, staying OK with a new latency (an update the page applies in place).
 */
import { loadChannel } from './child.ts';
import { benchResult, inParallel, WireAgent } from './wire-agent.ts';
import type { AgentCredentials } from './collector.ts';

const channel = loadChannel();
let agents: WireAgent[] = [];
const seqs: number[] = [];

channel.on(async (message) => {
  if (message.type === 'prime') {
    const { url, credentials, checks } = message as unknown as { url: string; credentials: AgentCredentials[]; checks: number };
    agents = credentials.map((c) => new WireAgent(c));
    await inParallel(agents, 20, async (agent, i) => {
      await agent.connect(url);
      const now = Date.now();
      agent.send(JSON.stringify({ type: 'results', batch: Array.from({ length: checks }, (_, k) => benchResult(k + 1, k, now - 1_000)) }));
      seqs[i] = checks;
      await agent.ackedBy(checks);
    });
    channel.send({ type: 'primed' });
  } else if (message.type === 'feed') {
    const { rate, durationMs, checks } = message as unknown as { rate: number; durationMs: number; checks: number };
    const tickMs = (1_000 * agents.length) / rate; // each agent sends once per tick: agents / tick = rate
    let sent = 0;
    const timers: NodeJS.Timeout[] = [];
    const started = Date.now();
    await new Promise<void>((resolve) => {
      agents.forEach((agent, i) => {
        // Phases spread over the tick, so the collector and the page see a steady stream, not bursts.
        const phase = Math.floor((i / agents.length) * tickMs);
        let done = 0;
        timers.push(setTimeout(() => {
          // Timers run late on a busy machine: a tick sends every result due by now, so the rate holds.
          const tick = () => {
            const due = Math.min(durationMs / tickMs, Math.floor((Date.now() - started - phase) / tickMs) + 1);
            const batch = [];
            for (; done < due; done++) {
              const seq = ++seqs[i]!;
              batch.push(benchResult(seq, (seq - 1) % checks, Date.now()));
            }
            if (batch.length === 0) return;
            agent.send(JSON.stringify({ type: 'results', batch }));
            sent += batch.length;
          };
          tick();
          timers.push(setInterval(tick, tickMs));
        }, phase));
      });
      setTimeout(resolve, durationMs);
    });
    for (const timer of timers) clearTimeout(timer);
    const seconds = (Date.now() - started) / 1000;
    // Everything sent is stored before the scenario reads its figures.
    await Promise.all(agents.map((agent, i) => agent.ackedBy(seqs[i]!)));
    channel.send({ type: 'fed', sent, seconds });
  } else if (message.type === 'close') {
    for (const agent of agents) agent.close();
    channel.send({ type: 'closed' });
  }
});
