/**
 * Load process: agents as they run all day. Each agent sends one result at a time, one per check every `periodMs`,
 * its checks spread evenly over the period, continuing after the seq the collector says it has stored.
 */
import { loadChannel } from './child.ts';
import { benchResult, inParallel, WireAgent } from './wire-agent.ts';
import type { AgentCredentials } from './collector.ts';

const channel = loadChannel();
const timers: NodeJS.Timeout[] = [];
let agents: WireAgent[] = [];
let sent = 0;

channel.on(async (message) => {
  if (message.type === 'trickle') {
    const { url, credentials, checksPerAgent, periodMs } = message as unknown as {
      url: string; credentials: AgentCredentials[]; checksPerAgent: number; periodMs: number;
    };
    agents = credentials.map((c) => new WireAgent(c));
    const stored = new Map<WireAgent, number>();
    await inParallel(agents, 50, async (agent) => void stored.set(agent, await agent.connect(url)));
    const every = periodMs / checksPerAgent;
    agents.forEach((agent, a) => {
      let seq = stored.get(agent)!;
      const send = () => {
        seq++;
        sent++;
        agent.send(JSON.stringify({ type: 'results', batch: [benchResult(seq, seq % checksPerAgent, Date.now())] }));
      };
      // Each agent at its own phase, so the collector sees a steady stream, not bursts.
      timers.push(setTimeout(() => (send(), timers.push(setInterval(send, every))), Math.floor((a / agents.length) * every)));
    });
    channel.send({ type: 'trickling', agents: agents.length, resultsPerSecond: (agents.length * 1000) / every });
  } else if (message.type === 'stop') {
    for (const t of timers) clearTimeout(t);
    for (const a of agents) a.close();
    channel.send({ type: 'stopped', sent });
  }
});
