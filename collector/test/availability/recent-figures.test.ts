import t from 'tap';
import { RecentFigures, RECENT_FIGURE_TTL_MS } from '../../src/availability/recent-figures.ts';

t.test('a figure is reused within its time, recomputed after it, at once on a new state, and after the clock went back', async (t) => {
  const figures = new RecentFigures();
  let computed = 0;
  const compute = (value: number) => async () => (computed++, value);
  t.equal(await figures.get('a/web', 'OK', 1_000, compute(0.99)), 0.99);
  t.equal(await figures.get('a/web', 'OK', 1_000 + RECENT_FIGURE_TTL_MS / 2 - 1, compute(0.5)), 0.99, 'reused for at least half the time');
  t.equal(computed, 1);
  t.equal(await figures.get('a/web', 'CRIT', 2_000, compute(0.98)), 0.98, 'a new state: computed at once');
  t.equal(await figures.get('a/web', 'CRIT', 2_000 + RECENT_FIGURE_TTL_MS, compute(0.97)), 0.97, 'never older than the whole time');
  t.equal(await figures.get('a/web', 'CRIT', 500, compute(0.96)), 0.96, 'a clock that went back does not reuse a figure from its future');
  t.equal(computed, 4);
  t.equal(await figures.get('a/web', 'CRIT', 500, compute(0)), 0.96);
  t.equal(await figures.get('a/web', 'CRIT', 501, async () => null), 0.96, 'null is a figure too (no data)');
});

t.test('checks expire at spread-out times, so a quiet spell does not end in one request recomputing everything', async (t) => {
  const figures = new RecentFigures();
  const keys = Array.from({ length: 1000 }, (_, i) => `agent-${i % 20}/check-${i}`);
  for (const k of keys) await figures.get(k, 'OK', 0, async () => 1);
  const recomputedAt = async (now: number) => {
    let again = 0;
    for (const k of keys) await figures.get(k, 'OK', now, async () => (again++, 1));
    return again;
  };
  // Three-quarters through the time: roughly half of them (uniformly spread over the second half) are due.
  const due = await recomputedAt((RECENT_FIGURE_TTL_MS * 3) / 4);
  t.ok(due > 350 && due < 650, `${due} of 1000 due at 3/4 of the time`);
});
