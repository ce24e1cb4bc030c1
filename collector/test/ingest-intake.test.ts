/** The frame intake: frames handled in arrival order, in slices that yield to the event loop, never lost. */
import t from 'tap';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FrameIntake, type QueuedFrame } from '../src/ingest/frame-intake.ts';

function frame(log: string[], name: string, work?: () => void): QueuedFrame {
  return { receivedAt: performance.now(), handle: () => { work?.(); log.push(name); } };
}

t.test('frames are handled in arrival order, not in the turn that read them', async (t) => {
  const log: string[] = [];
  const intake = new FrameIntake();
  for (const name of ['a1', 'b1', 'a2', 'c1', 'b2']) intake.push(frame(log, name));
  t.same(log, [], 'nothing is parsed in the poll phase that read the frames');
  t.equal(intake.pending, 5);
  await nextTurn();
  await nextTurn();
  t.same(log, ['a1', 'b1', 'a2', 'c1', 'b2']);
  t.equal(intake.pending, 0);
});

t.test('a slice stops after its time budget; the rest runs in later turns, with the loop free in between', async (t) => {
  const log: string[] = [];
  const intake = new FrameIntake({ sliceMs: 5 });
  const busy = () => { const until = performance.now() + 3; while (performance.now() < until); };
  let timerRanAfter = -1;
  // Armed while the first slice runs (not before it: timers vs immediates at the top level race), so it can
  // only fire once a slice has yielded — between slices if slicing works, after all six if it does not.
  const armTimer = () => void setTimeout(() => (timerRanAfter = log.length), 0);
  intake.push(frame(log, 'f0', () => (armTimer(), busy())));
  for (let i = 1; i < 6; i++) intake.push(frame(log, `f${i}`, busy));
  while (intake.pending > 0) await nextTurn();
  t.same(log, ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'], 'order kept across slices');
  t.ok(timerRanAfter > 0 && timerRanAfter < 6, `a timer ran between slices (after ${timerRanAfter} frames), not only after all of them`);
});

t.test('a frame whose handling throws costs only itself; flushAll handles the rest at once (shutdown)', async (t) => {
  const log: string[] = [];
  const errors: unknown[] = [];
  const intake = new FrameIntake({ onError: (error) => errors.push(error) });
  intake.push(frame(log, 'ok1'));
  intake.push(frame(log, 'bad', () => { throw new Error('handler bug'); }));
  intake.push(frame(log, 'ok2'));
  intake.flushAll();
  t.same(log, ['ok1', 'ok2']);
  t.match(errors, [{ message: 'handler bug' }]);
  t.equal(intake.pending, 0);
  await nextTurn();
  t.same(log, ['ok1', 'ok2'], 'nothing handled twice after the flush');
});

t.test('the receipt time is the time the frame was read, passed to the handler (rate limits count real arrival)', async (t) => {
  const intake = new FrameIntake();
  let seen = -1;
  intake.push({ receivedAt: 1234.5, handle: (at) => (seen = at) });
  await nextTurn();
  t.equal(seen, 1234.5);
});
