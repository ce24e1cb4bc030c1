import t from 'tap';
import type { Result } from '@nines/shared';
import { eventOf, messagesOf, type BridgedEvent } from '../../src/cluster/messages.ts';

// Pure: what one collector tells the others of its events, and what they make of it.
const LIMIT = 7_999;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const result = (seq: number, over: Partial<Result> = {}): Result => ({
  seq, checkId: `c${seq}`, kind: 'http', name: `Webshop ${seq}`, status: 'CRIT', message: 'HTTP 502', metrics: { response_ms: 12 + seq },
  startedAt: 1_000_000 + seq * 1000, finishedAt: 1_000_005 + seq * 1000, intervalMs: 60_000, ...over,
});
const roundTrip = (event: BridgedEvent) => messagesOf(event, LIMIT).map((m) => eventOf(m));

t.test('every event comes back as itself, marked remote', async (t) => {
  const at = 1_796_000_000_000;
  const cases: BridgedEvent[] = [
    { name: 'agentConnection', payload: { agentId: 'a1', clientId: 3, connected: true, at } },
    { name: 'gapStored', payload: { agentId: 'a1', clientId: 3, gap: { type: 'gap', fromSeq: 4, toSeq: 9, from: at - 60_000, to: at, reason: 'spool full' } } },
    { name: 'agentSilent', payload: { agentId: 'a1', clientId: 3, silentSince: at - 90_000, at } },
    { name: 'agentHeard', payload: { agentId: 'a1', clientId: 3, silentSince: at - 90_000, at } },
    { name: 'agentOverQuota', payload: { agentId: 'a1', clientId: 3, limit: 'resultsPerMinute', reason: 'over 600 a minute', at } },
    { name: 'configAssigned', payload: { agentId: 'a1', clientId: 3, version: 7 } },
    { name: 'settingsChanged', payload: { part: 'channels', at } },
    { name: 'settingsChanged', payload: { part: 'reports', at } },
    { name: 'upgradeSettingChanged', payload: { at } },
  ];
  for (const event of cases) t.same(roundTrip(event), [{ name: event.name, payload: { ...event.payload, remote: true } }], event.name);
});

t.test('a stored batch travels as its count and earliest start, not its results', async (t) => {
  const inserted = [result(3), result(1), result(2)];
  const [text, ...more] = messagesOf({ name: 'resultsStored', payload: { agentId: 'a1', clientId: 3, inserted, receivedAt: 5_000_000 } }, LIMIT);
  t.equal(more.length, 0);
  t.same(eventOf(text!), { name: 'resultsStored', payload: { agentId: 'a1', clientId: 3, inserted: [], receivedAt: 5_000_000, remote: { count: 3, from: result(1).startedAt } } });
});

t.test('changed checks: split to fit, every one arrives once, without details and labels', async (t) => {
  const latest = Array.from({ length: 120 }, (_, i) => result(i + 1, { message: `HTTP 502 from upstream ${'x'.repeat(40)} ${i}`, details: { body: 'y'.repeat(100) }, labels: ['linz'] }));
  const texts = messagesOf({ name: 'checksChanged', payload: { agentId: 'a1', clientId: 3, latest } }, LIMIT);
  t.ok(texts.length > 1, `${latest.length} results need ${texts.length} messages`);
  t.ok(texts.every((m) => bytes(m) <= LIMIT), `each under ${LIMIT} bytes: ${Math.max(...texts.map(bytes))}`);
  const back = texts.flatMap((m) => {
    const event = eventOf(m);
    return event?.name === 'checksChanged' ? event.payload.latest : [];
  });
  t.same(back, latest.map(({ details: _d, labels: _l, ...r }) => r), 'all, in order, whole but for details and labels');
});

t.test('one result too big for a message: its metrics go, then as much of its message as must', async (t) => {
  const metrics = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`m${i}_value`, i]));
  const fat = result(1, { metrics });
  const [slim] = messagesOf({ name: 'checksChanged', payload: { agentId: 'a1', clientId: 3, latest: [fat] } }, 2_000);
  const event = eventOf(slim!);
  t.equal(event?.name, 'checksChanged');
  const sent = event?.name === 'checksChanged' ? event.payload.latest[0] : undefined;
  t.same(sent?.metrics, {}, 'metrics dropped');
  t.equal(sent?.message, fat.message, 'the message fits whole');

  // 2,000 characters of 3-byte UTF-8 is 6,000 bytes: cut to fit 2,000 bytes, on a character.
  const wordy = result(2, { message: '€'.repeat(2000) });
  const [cut] = messagesOf({ name: 'checksChanged', payload: { agentId: 'a1', clientId: 3, latest: [wordy] } }, 2_000);
  t.ok(bytes(cut!) <= 2_000, `${bytes(cut!)} bytes`);
  const message = (eventOf(cut!) as Extract<BridgedEvent, { name: 'checksChanged' }>).payload.latest[0]!.message;
  t.match(message, /^€+…$/, 'cut on a character and marked');
  t.ok(bytes(cut!) + 3 > 2_000, 'no more than it must: one more character would not fit');
});

t.test('what is not a message of this version is dropped', async (t) => {
  t.equal(eventOf('not json'), null);
  t.equal(eventOf(JSON.stringify({ e: 'resultsStored', p: { agentId: 'a1' } })), null, 'fields missing');
  t.equal(eventOf(JSON.stringify({ e: 'rollupsFlushed', p: {} })), null, 'an event this version does not know');
  t.equal(eventOf(JSON.stringify({ e: 'agentConnection', p: { agentId: 'a1', clientId: 3, connected: true, at: 1, extra: 1 } })), null, 'an unknown key');
});
