import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../src/settings.ts';
import { HTTP_LIMIT_DEFAULTS, isProxyAddress } from '../../src/http/limits.ts';

const dir = mkdtempSync(join(tmpdir(), 'nines-limit-settings-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

t.test('defaults: no trusted proxy, 30 s per request, 75 s idle', async (t) => {
  t.same(resolveSettings({}, {}).http, { trustedProxies: [], requestTimeoutMs: 30_000, idleTimeoutMs: 75_000 });
  t.same(resolveSettings({}, {}).http, HTTP_LIMIT_DEFAULTS);
});

t.test('the file sets them, the environment wins over the file', async (t) => {
  const config = file('a.yml', 'trustedProxies: [127.0.0.1, 10.0.0.0/8]\nrequestTimeoutMs: 5000\nidleTimeoutMs: 90000\n');
  t.same(resolveSettings({ config }, {}).http, { trustedProxies: ['127.0.0.1', '10.0.0.0/8'], requestTimeoutMs: 5000, idleTimeoutMs: 90_000 });
  const env = { NINES_TRUSTED_PROXIES: ' ::1 , 192.168.1.10 ', NINES_REQUEST_TIMEOUT_MS: '10000' };
  t.same(resolveSettings({ config }, env).http, { trustedProxies: ['::1', '192.168.1.10'], requestTimeoutMs: 10_000, idleTimeoutMs: 90_000 });
  t.same(resolveSettings({ config }, { NINES_TRUSTED_PROXIES: '' }).http.trustedProxies, [], 'an empty variable means none');
});

t.test('bad values are refused with a clear message', async (t) => {
  t.throws(() => resolveSettings({}, { NINES_TRUSTED_PROXIES: '127.0.0.1,proxy.example.com' }), /trustedProxies: "proxy.example.com" is not an IP address or CIDR/);
  t.throws(() => resolveSettings({}, { NINES_TRUSTED_PROXIES: '10.0.0.0/33' }), /"10.0.0.0\/33" is not an IP address or CIDR/);
  t.throws(() => resolveSettings({}, { NINES_REQUEST_TIMEOUT_MS: '0' }), /NINES_REQUEST_TIMEOUT_MS must be a whole number of milliseconds above 0, not "0"/);
  t.throws(() => resolveSettings({}, { NINES_IDLE_TIMEOUT_MS: 'soon' }), /NINES_IDLE_TIMEOUT_MS/);
  t.throws(() => resolveSettings({ config: file('b.yml', 'trustedProxies: 127.0.0.1\n') }, {}), /not a valid collector config[\s\S]*trustedProxies/);
});

t.test('proxy addresses: IPv4, IPv6, with or without a prefix length', async (t) => {
  for (const ok of ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '0.0.0.0/0']) t.ok(isProxyAddress(ok), ok);
  for (const bad of ['', 'localhost', '10.0.0.0/', '10.0.0.0/8/8', '::1/129', '1.2.3.4/x']) t.notOk(isProxyAddress(bad), bad);
});
