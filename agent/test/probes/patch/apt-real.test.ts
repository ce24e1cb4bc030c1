import t from 'tap';
import { mkdtemp, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { execProgram } from '../../../src/exec.ts';
import { runCheck } from '../../../src/runner.ts';
import { createAptProbe } from '../../../src/probes/patch/apt/collect.ts';
import { detectPatchManager, autoPatchCheck } from '../../../src/probes/patch/index.ts';

const hasApt = await access('/usr/bin/apt-get').then(() => true, () => false);

t.test('the real apt probe on this Debian machine', { skip: hasApt ? false : 'apt-get is not installed here (CI runs on Debian)' }, async (t) => {
  const ctx = { exec: execProgram, clock: Date.now, signal: new AbortController().signal, timeoutMs: 120_000 };
  t.equal(await detectPatchManager(ctx), 'apt', 'auto-detection finds apt');
  const result = await createAptProbe().collect(ctx);
  // apt only fails here if the machine's package state is broken; the reason then says how.
  t.ok(result.ok, result.ok ? 'apt-get -s upgrade was read' : `apt failed: ${result.reason}`);
  if (!result.ok) return;
  const { state } = result;
  t.ok(state.updates.length >= 0);
  for (const u of state.updates) {
    t.match(u.name, /^[a-z0-9][a-z0-9+.-]*$/, `package name ${u.name}`);
    if (!u.keptBack) t.ok(u.current && u.candidate && u.current !== u.candidate, `${u.name}: ${u.current} → ${u.candidate}`);
  }
  t.type(state.rebootRequired, 'boolean');
  t.type(state.indexUpdatedAt, 'number', 'the package lists exist, so their age is known');
  t.ok(state.indexUpdatedAt! <= Date.now() + 1_000);
});

t.test('the auto patch check runs through the runner and reports well-formed metrics', { skip: hasApt ? false : 'no apt-get' }, async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'nines-patch-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const result = await runCheck(autoPatchCheck(), { clock: Date.now, exec: execProgram, log: pino({ level: 'silent' }), stateDir });
  t.not(result.status, 'UNKNOWN', result.message);
  t.equal(result.kind, 'patch');
  t.match(result.message, /^apt: /);
  const m = result.metrics;
  t.ok(Number.isInteger(m.pending) && m.pending! >= 0, `pending ${m.pending}`);
  t.ok(Number.isInteger(m.security) && m.security! >= 0 && m.security! <= m.pending!, `security ${m.security}`);
  t.ok(m.reboot_required === 0 || m.reboot_required === 1);
  t.ok(Number.isInteger(m.index_age_s) && m.index_age_s! >= 0, `index_age_s ${m.index_age_s}`);
  const details = result.details as { manager: string; packages: unknown[] };
  t.equal(details.manager, 'apt');
  t.equal(details.packages.length, m.pending);
  await t.resolves(access(join(stateDir, 'patch-first-seen-apt.json')), 'first-seen times are kept');
  await t.resolves(access(join(stateDir, 'patch-cache-apt.json')), 'the answer is cached');
});
