import t from 'tap';
import { dns } from '../../src/checks/dns.ts';
import { runCheck } from '../../src/runner.ts';
import { checkConfigErrors } from '@nines/shared';
import { checkContext, runnerDeps } from './helpers/context.ts';
import { startDnsServer, type Zone } from './helpers/dns-server.ts';

const zone: Zone = {
  'huber-baeckerei.de': [
    { type: 'A', value: '203.0.113.7' },
    { type: 'AAAA', value: '2001:db8::7' },
    { type: 'MX', priority: 20, value: 'mx2.huber-baeckerei.de' },
    { type: 'MX', priority: 10, value: 'mx1.huber-baeckerei.de' },
    { type: 'TXT', value: ['v=spf1 mx ', '-all'] },
    { type: 'NS', value: 'ns1.provider.de' },
  ],
  'www.huber-baeckerei.de': [{ type: 'CNAME', value: 'huber-baeckerei.de' }],
  'slow.huber-baeckerei.de': 'silent',
};

async function run(config: Omit<Parameters<typeof dns.run>[0], 'kind' | 'id'>) {
  const ctx = checkContext({ timeoutMs: 3_000 });
  try {
    return await dns.run({ kind: 'dns', id: 'dns', ...config }, ctx);
  } finally {
    ctx.dispose();
  }
}

t.test('each record type resolves via a server with a port, and expected answers match', async (t) => {
  const dnsServer = await startDnsServer(zone);
  t.teardown(dnsServer.close);
  const server = dnsServer.server;

  const a = await run({ query: 'huber-baeckerei.de', server, expect: ['203.0.113.7'] });
  t.equal(a.status, 'OK', a.message);
  t.match(a.message, new RegExp(`huber-baeckerei\\.de A → 203\\.0\\.113\\.7 in \\d+ ms via ${server}`));
  t.equal(a.metrics!.answers_count, 1);

  t.equal((await run({ query: 'huber-baeckerei.de', recordType: 'AAAA', server, expect: ['2001:DB8::7'] })).status, 'OK', 'IPv6 compares without case');
  const mx = await run({ query: 'huber-baeckerei.de', recordType: 'MX', server, expect: ['10 mx1.huber-baeckerei.de.'] });
  t.equal(mx.status, 'OK', 'trailing dot ignored');
  t.match(mx.message, /→ 10 mx1\.huber-baeckerei\.de, 20 mx2\.huber-baeckerei\.de/);
  t.equal((await run({ query: 'huber-baeckerei.de', recordType: 'TXT', server, expect: ['v=spf1 mx -all'] })).status, 'OK', 'TXT chunks joined');
  t.equal((await run({ query: 'www.huber-baeckerei.de', recordType: 'CNAME', server, expect: ['huber-baeckerei.de'] })).status, 'OK');
  t.equal((await run({ query: 'huber-baeckerei.de', recordType: 'NS', server })).status, 'OK');
});

t.test('a wrong answer is CRIT naming what is missing', async (t) => {
  const dnsServer = await startDnsServer(zone);
  t.teardown(dnsServer.close);
  const outcome = await run({ query: 'huber-baeckerei.de', server: dnsServer.server, expect: ['198.51.100.1'] });
  t.equal(outcome.status, 'CRIT');
  t.match(outcome.message, /→ 203\.0\.113\.7 .*expected 198\.51\.100\.1 missing/);
});

t.test('NXDOMAIN and a missing record type are CRIT with their own words', async (t) => {
  const dnsServer = await startDnsServer(zone);
  t.teardown(dnsServer.close);
  const nx = await run({ query: 'nope.huber-baeckerei.de', server: dnsServer.server });
  t.equal(nx.status, 'CRIT');
  t.match(nx.message, /nope\.huber-baeckerei\.de does not exist \(NXDOMAIN\)/);
  const nodata = await run({ query: 'www.huber-baeckerei.de', recordType: 'MX', server: dnsServer.server });
  t.equal(nodata.status, 'CRIT');
  t.match(nodata.message, /has no MX record/);
});

t.test('a server that does not answer is CRIT within the check timeout', async (t) => {
  const dnsServer = await startDnsServer(zone);
  t.teardown(dnsServer.close);
  const result = await runCheck({ kind: 'dns', id: 'slow', query: 'slow.huber-baeckerei.de', server: dnsServer.server, timeout: 400 }, runnerDeps);
  t.equal(result.status, 'CRIT');
  t.match(result.message, /no answer/);
  t.ok(dnsServer.queries.length >= 1, 'the query really reached the server');
});

t.test('the schema points at a bad server or record type', async (t) => {
  t.match(checkConfigErrors({ kind: 'dns', id: 'd', query: 'x.de', server: 'dns.google' }), [/^\/server: /]);
  t.match(checkConfigErrors({ kind: 'dns', id: 'd', query: 'x.de', recordType: 'SRV' }), [/^\/recordType: /]);
  t.same(checkConfigErrors({ kind: 'dns', id: 'd', query: 'x.de', server: '[::1]:5353' }), []);
  t.same(checkConfigErrors({ kind: 'dns', id: 'd', query: 'x.de', server: '192.168.1.1' }), []);
});
