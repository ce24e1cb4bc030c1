import t from 'tap';
import WebSocket from 'ws';
import { LIMITS } from '@nines/shared';
import { FrameRateLimit, FRAME_BUDGET } from '../src/ingest/frame-rate.ts';
import { startCollector, closed, result } from './helpers/collector.ts';

// A live result frame of one result as an agent sends it (~300 bytes).
const ONE_RESULT_FRAME = JSON.stringify({ type: 'results', batch: [result(1)], backlog: 0 }).length;

t.test('the frame budget counts bytes: a busy honest agent always fits, a flood of tiny frames does not', async (t) => {
  // 2,000 checks at 20 s, a frame per result (an agent that does not batch): 100 frames a second for 10 minutes.
  const busy = new FrameRateLimit(FRAME_BUDGET, 0);
  let refused = 0;
  for (let i = 0; i < 100 * 600; i++) if (!busy.take(i * 10, ONE_RESULT_FRAME)) refused++;
  t.equal(refused, 0, 'never refused');

  // A replay right after the welcome: 4 frames in flight of the largest size at once, then one per ack.
  const replay = new FrameRateLimit(FRAME_BUDGET, 0);
  const admitted = [0, 0, 0, 0].map(() => replay.take(0, LIMITS.maxFrameBytes));
  t.same(admitted, [true, true, true, true], 'the burst holds four maximal frames');
  let replayRefused = 0;
  for (let i = 1; i <= 20; i++) if (!replay.take(i * 500, LIMITS.maxFrameBytes)) replayRefused++;
  t.equal(replayRefused, 0, 'a maximal frame every 0.5 s goes on being admitted');

  const flood = new FrameRateLimit(FRAME_BUDGET, 0);
  let served = 0;
  while (served < 10_000 && flood.take(0, 40)) served++;
  t.ok(served < 1_000, `a flood of tiny frames at one instant is cut off after ${served}`);
  t.ok(served >= 150, 'after a burst allowance');
});

t.test('an agent sending a frame per result at 125 frames a second stays connected and gets every ack', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const { creds, socket } = await c.welcomedAgent();
  const total = 500; // 4 s: the old limit (50 frames a second, burst 200) closed such an agent after ~3.3 s
  let ackedUpTo = 0;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; upTo?: number };
    if (message.type === 'ack') ackedUpTo = Math.max(ackedUpTo, message.upTo!);
  });
  let closedWith: number | null = null;
  socket.once('close', (code) => (closedWith = code));
  let seq = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < 5 && seq < total && socket.readyState === WebSocket.OPEN; i++) {
        seq++;
        socket.send(JSON.stringify({ type: 'results', batch: [result(seq, { checkId: `web-${seq % 100}` })], backlog: 0 }));
      }
      if (seq >= total || socket.readyState !== WebSocket.OPEN) (clearInterval(timer), resolve());
    }, 40);
  });
  const deadline = Date.now() + 10_000;
  while (ackedUpTo < total && closedWith === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  t.equal(closedWith, null, 'not cut off');
  t.equal(ackedUpTo, total, 'every result acknowledged');
  t.equal(await c.store.countResults(creds.agentId), total);
  socket.close();
  await closed(socket);
});
