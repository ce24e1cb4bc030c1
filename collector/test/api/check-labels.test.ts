/**
 * Check labels (issue 23's "tags"; restic checks already use `tags` for snapshot tags): one schema for the agent's
 * YAML, the collector's assignments and the results that carry a local check's labels; stored with the check,
 * returned by the API and the overview; bad labels refused with the field named, and nothing stored from them.
 */
import t from 'tap';
import { CloseCode, MAX_LABEL_CHARS, MAX_LABELS, type AgentDetail, type OverviewResponse } from '@nines/shared';
import { validateAgentConfig, ConfigError } from '../../../agent/src/config-file.ts';
import { parseAgentFrame } from '../../src/ingest/frames.ts';
import { startWorld } from './helpers.ts';
import { hello, nextMessage, result, sendAcked } from '../helpers/collector.ts';

const hostile = '<script>alert(1)</script>';
const BAD_LABELS: Array<[string, unknown]> = [
  ['a number', [42]],
  ['too long', ['x'.repeat(MAX_LABEL_CHARS + 1)]],
  ['too many', Array.from({ length: MAX_LABELS + 1 }, (_, i) => `l${i}`)],
  ['twice the same', ['web', 'web']],
  ['empty', ['']],
  ['a leading space', [' web']],
  ['not a list', 'web'],
];

t.test('agent YAML: labels accepted, hostile text too (it is shown as text); bad ones refused naming the field', async (t) => {
  const ok = validateAgentConfig({ checks: [{ id: 'web', kind: 'tcp', host: '127.0.0.1', port: 1, labels: ['web', 'Standort Köln', hostile] }] });
  t.same(ok.checks?.[0]?.labels, ['web', 'Standort Köln', hostile]);
  const none = validateAgentConfig({ checks: [{ id: 'web', kind: 'tcp', host: '127.0.0.1', port: 1 }] });
  t.same(none.checks?.[0]?.labels ?? [], [], 'none by default');
  for (const [what, labels] of BAD_LABELS) {
    let error: unknown;
    try {
      validateAgentConfig({ checks: [{ id: 'web', kind: 'tcp', host: '127.0.0.1', port: 1, labels }] }, 'agent.yaml');
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof ConfigError, `${what}: refused`);
    t.match((error as ConfigError).problems.join('\n'), /\/checks\/0\/labels/, `${what}: the problem names the field`);
  }
  // Unknown keys are still refused: `tags` on a tcp check is a typo for labels, not a second name for them.
  t.throws(() => validateAgentConfig({ checks: [{ id: 'web', kind: 'tcp', host: '127.0.0.1', port: 1, tags: ['web'] }] }), { code: 'NINES_ERR_CONFIG', problems: [/\/checks\/0\/tags: unknown key/] }, 'tags on a tcp check: refused');
});

t.test('a result with bad labels is refused for good, naming its seq; nothing else about the frame is wrong', async (t) => {
  for (const [what, labels] of BAD_LABELS) {
    const frame = Buffer.from(JSON.stringify({ type: 'results', batch: [{ ...result(7), labels }] }));
    const verdict = parseAgentFrame(frame, false);
    t.match(verdict, { ok: false, closeCode: CloseCode.REFUSED, seq: 7 }, what);
    if (!verdict.ok) t.match(verdict.reason, /labels/, `${what}: the reason names the field`);
  }
  t.match(parseAgentFrame(Buffer.from(JSON.stringify({ type: 'results', batch: [{ ...result(7), labels: ['web'] }] })), false), { ok: true });
});

t.test('assigned checks: labels stored and returned; bad labels refused with the field, nothing changes', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const agent = w.acmeAgent.agentId;
  const put = await w.admin.json('PUT', `/api/v1/agents/${agent}/checks/db`, { kind: 'tcp', host: '127.0.0.1', port: 5432, labels: ['db', hostile] });
  t.equal(put.status, 200);
  const detail = await w.admin.json<AgentDetail>('GET', `/api/v1/agents/${agent}`);
  t.same(detail.body.checks.find((c) => c.id === 'db')?.labels, ['db', hostile], 'the API returns them');
  for (const [what, labels] of BAD_LABELS) {
    const response = await w.admin.json<{ code: string; message: string }>('PUT', `/api/v1/agents/${agent}/checks/db`, { kind: 'tcp', host: '127.0.0.1', port: 5432, labels });
    t.equal(response.status, 400, what);
    t.equal(response.body.code, 'NINES_ERR_INVALID_CHECK', what);
    t.match(response.body.message, /\/labels/, `${what}: the message names the field`);
  }
  t.equal((await w.c.store.assignedConfig(agent)).version, 1, 'only the good assignment was made');
  t.same((await w.c.store.listChecks(agent)).find((c) => c.id === 'db')?.labels, ['db', hostile], 'and its labels stand');
});

t.test("a local check's labels come with its results: kept without, replaced by a new list, cleared by []", async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const socket = await w.c.agentSocket(w.acmeAgent);
  t.teardown(() => socket.close());
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  const labelsNow = async () => (await w.admin.json<AgentDetail>('GET', `/api/v1/agents/${w.acmeAgent.agentId}`)).body.checks.find((c) => c.id === 'web')?.labels;
  await sendAcked(socket, [result(1, { labels: ['web', 'köln'] })]);
  t.same(await labelsNow(), ['web', 'köln']);
  const overview = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  const row = overview.body.clients.find((c) => c.id === w.acme)!;
  t.same(row.labels, ['köln', 'web'], "the overview row lists the client's labels, sorted");
  t.same(row.beats.find((b) => b.agentId === w.acmeAgent.agentId)?.labels, ['köln', 'web'], "and the host's bar its own");
  await sendAcked(socket, [result(2)]);
  t.same(await labelsNow(), ['web', 'köln'], 'a result without labels (an older agent) keeps them');
  await sendAcked(socket, [result(3, { labels: ['mail'] })]);
  t.same(await labelsNow(), ['mail'], 'a new list replaces them');
  await sendAcked(socket, [result(4, { labels: [] })]);
  t.same(await labelsNow(), [], '[] clears them');
});
