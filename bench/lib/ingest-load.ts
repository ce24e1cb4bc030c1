/**
 * Load process for the ingest scenario: N simulated agents on real WebSockets; on "go" each sends its batches
 * (pre-serialized, so this process stays cheap) with at most `maxInFlight` unacknowledged, like the real agent.
 */
import { loadChannel } from './child.ts';
import { benchResult, inParallel, WireAgent } from './wire-agent.ts';
import type { AgentCredentials } from './collector.ts';

const channel = loadChannel();
let agents: WireAgent[] = [];
let frames: string[][] = [];

channel.on(async (message) => {
  if (message.type === 'connect') {
    const { url, credentials, batches, batchSize, checks } = message as unknown as {
      url: string; credentials: AgentCredentials[]; batches: number; batchSize: number; checks: number;
    };
    agents = credentials.map((c) => new WireAgent(c));
    await inParallel(agents, 50, async (agent) => void (await agent.connect(url)));
    const base = Date.now() - 3_600_000; // an hour ago: well inside the collector's clock tolerance
    frames = agents.map(() =>
      Array.from({ length: batches }, (_, b) => {
        const batch = Array.from({ length: batchSize }, (_, i) => {
          const seq = b * batchSize + i + 1;
          return benchResult(seq, seq % checks, base + seq * 1_000);
        });
        return JSON.stringify({ type: 'results', batch, backlog: (batches - b - 1) * batchSize });
      }),
    );
    channel.send({ type: 'connected', agents: agents.length });
  } else if (message.type === 'go') {
    const { maxInFlight, batchSize } = message as unknown as { maxInFlight: number; batchSize: number };
    const started = Date.now();
    await Promise.all(
      agents.map(async (agent, a) => {
        const own = frames[a]!;
        for (let b = 0; b < own.length; b++) {
          if (b >= maxInFlight) await agent.ackedBy((b - maxInFlight + 1) * batchSize);
          agent.send(own[b]!);
        }
        await agent.ackedBy(own.length * batchSize);
      }),
    );
    channel.send({ type: 'done', ms: Date.now() - started, acked: agents.reduce((s, a) => s + a.acked, 0) });
    for (const agent of agents) agent.close();
  }
});
