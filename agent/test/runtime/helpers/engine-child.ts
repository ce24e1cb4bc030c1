/**
 * A process of its own for engine.test.ts (V8 flags are process-wide): `tuned` applies the agent's engine flags first,
 * as the CLI does, `plain` does not. Then it does what the agent does all day — keep-alive GETs through the agent's
 * undici to a loopback node:http server in this process, plenty of short-lived objects — and prints what V8 reports:
 * the compiler's peak malloc (WebAssembly tier-up of llhttp) and the young generation's size before and after.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { tuneEngine } from '../../../src/engine.ts';

const mode = process.argv[2];
if (mode !== 'tuned' && mode !== 'plain') throw new Error('usage: engine-child tuned|plain');
if (mode === 'tuned') tuneEngine();
const { Agent, request } = await import('../../../src/undici-core.ts');

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
const newSpaceAtStart = newSpace();

const server = createServer({ keepAliveTimeout: 30_000 }, (_req, res) => res.end('ok'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const dispatcher = new Agent({});
// Enough GETs for V8 to find llhttp's functions hot (it tiered up after ~200 on Node 20).
for (let i = 0; i < 2_000; i++) await (await request(url, { dispatcher })).body.dump();
await dispatcher.close();
server.close();

// Short-lived garbage at a high rate, a few thousand objects surviving each round: what makes V8 grow the young generation.
let kept: object[] = [];
for (let round = 0; round < 200; round++) {
  for (let i = 0; i < 10_000; i++) kept.push({ seq: i, line: `result ${i}`, metrics: [i, i + 1] });
  kept = kept.slice(-5_000);
  await new Promise((resolve) => setImmediate(resolve));
}

process.stdout.write(JSON.stringify({ peakMalloced: getHeapStatistics().peak_malloced_memory, newSpaceAtStart, newSpaceAtEnd: newSpace(), kept: kept.length }) + '\n');
