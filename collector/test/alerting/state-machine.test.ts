import t from 'tap';
import type { Status } from '@nines/shared';
import { INITIAL_MEMORY, observe, type AlertMemory, type Thresholds, type Transition } from '../../src/alerting/state-machine.ts';

const thresholds: Thresholds = { failuresToFire: 3, successesToResolve: 2, flapWindowMs: 600_000, flapChanges: 6, unknownSeverity: 'WARN' };

/** Feeds statuses one minute apart; returns the final memory and every transition. */
function run(statuses: Status[], options: Partial<Thresholds> = {}, start: AlertMemory = INITIAL_MEMORY) {
  let memory = start;
  const transitions: Transition[] = [];
  const states: string[] = [];
  statuses.forEach((status, i) => {
    const out = observe(memory, { status, at: 1_000_000 + i * 60_000, message: status }, { ...thresholds, ...options });
    memory = out.memory;
    transitions.push(...out.transitions);
    states.push(memory.state);
  });
  return { memory, transitions, states };
}

t.test('three failures in a row fire; two do not', async (t) => {
  const two = run(['CRIT', 'CRIT', 'OK']);
  t.same(two.states, ['PENDING', 'PENDING', 'OK']);
  t.same(two.transitions, []);
  const three = run(['CRIT', 'CRIT', 'CRIT']);
  t.same(three.states, ['PENDING', 'PENDING', 'FIRING']);
  t.match(three.transitions, [{ event: 'firing', from: 'PENDING', to: 'FIRING', severity: 'CRIT', at: 1_120_000 }]);
});

t.test('two successes resolve; one success then a failure goes back to FIRING without a notice', async (t) => {
  const r = run(['CRIT', 'CRIT', 'CRIT', 'OK', 'CRIT', 'OK', 'OK']);
  t.same(r.states, ['PENDING', 'PENDING', 'FIRING', 'RESOLVING', 'FIRING', 'RESOLVING', 'OK']);
  t.same(r.transitions.map((x) => x.event), ['firing', 'resolved']);
});

t.test('thresholds are configurable: one failure fires, one success resolves', async (t) => {
  const r = run(['WARN', 'OK'], { failuresToFire: 1, successesToResolve: 1 });
  t.same(r.transitions.map((x) => [x.event, x.severity]), [['firing', 'WARN'], ['resolved', null]]);
});

t.test('a severity change while firing is its own event, WARN and CRIT both alert', async (t) => {
  const r = run(['WARN', 'WARN', 'WARN', 'CRIT', 'CRIT', 'WARN']);
  t.same(r.transitions.map((x) => [x.event, x.severity]), [['firing', 'WARN'], ['changed', 'CRIT'], ['changed', 'WARN']]);
});

t.test('UNKNOWN (the probe could not decide) alerts with the configured severity, never counts as OK', async (t) => {
  const r = run(['UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
  t.match(r.transitions, [{ event: 'firing', severity: 'WARN' }]);
  t.match(run(['UNKNOWN', 'UNKNOWN', 'UNKNOWN'], { unknownSeverity: 'CRIT' }).transitions, [{ severity: 'CRIT' }]);
});

t.test('flapping: many flips in the window give one FLAPPING event instead of many, and it ends when things settle', async (t) => {
  const flips: Status[] = ['CRIT', 'CRIT', 'CRIT', 'OK', 'CRIT', 'OK', 'CRIT', 'OK', 'CRIT', 'OK', 'CRIT', 'OK'];
  const r = run([...flips, ...Array<Status>(12).fill('OK')], { successesToResolve: 1 });
  const events = r.transitions.map((x) => x.event);
  t.same(events, ['firing', 'resolved', 'flapping', 'resolved'], 'the flips after the first incident become one event; the end of it is one resolved');
  t.equal(r.memory.state, 'OK');
  // with successesToResolve 2 the flips never resolve, but still become FLAPPING
  const slow = run(flips);
  t.equal(slow.transitions.filter((x) => x.event === 'flapping').length, 1);
  t.equal(slow.memory.state, 'FLAPPING');
});

t.test('a check that flips OK/CRIT every time never reaches 3 failures, yet flapping tells about it', async (t) => {
  const r = run(Array.from({ length: 10 }, (_, i): Status => (i % 2 ? 'OK' : 'CRIT')));
  t.same(r.transitions.map((x) => x.event), ['flapping']);
});

t.test('late results (older than the last observation) do not rewind the state', async (t) => {
  const fired = run(['CRIT', 'CRIT', 'CRIT']).memory;
  const late = observe(fired, { status: 'OK', at: 1_000_000, message: 'old' }, thresholds);
  t.equal(late.memory, fired);
  t.same(late.transitions, []);
});
