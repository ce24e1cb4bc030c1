/** The overview's filter as the hash keeps it, and which rows it lets through: pure, no browser. */
import t from 'tap';
import type { ClientSummary } from '@nines/shared';
import { filterHash, hostsShown, matchesFilter, parseFilter, allLabels } from '../src/overview-filter.ts';

const row = (name: string, over: Partial<ClientSummary>): ClientSummary => ({
  id: name.length, name, slaTarget: 0.999, worst: 'OK', counts: { OK: 1, WARN: 0, CRIT: 0, UNKNOWN: 0 }, hosts: 1, agentsSilent: 0, backupsOverdue: 0,
  securityUpdates: 0, rebootRequired: 0, availabilityMonth: null, availabilityMonthPercent: null, monthMet: null, monthCoverage: null, monthPartialData: null,
  errorBudgetMonthMs: null, errorBudgetSoFarMs: null, errorBudgetLeftMs: null, openIncidents: null, security: { worst: null, counts: { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 0 } },
  problems: [], labels: [], beats: [], hostNames: [], labelHosts: {}, ...over,
});

t.test('the hash round-trips the filter, and junk falls back to no filter', async (t) => {
  const f = { client: 'bäckerei & co', label: '<script>', state: 'CRIT' as const };
  const hash = filterHash(f);
  t.same(parseFilter(hash.slice('#/?'.length)), f);
  t.equal(filterHash({ client: '', label: '', state: 'all' }), '#/', 'nothing filtered: the plain overview');
  t.same(parseFilter('state=OK&label=&client=%20%20'), { client: '', label: '', state: 'all' }, 'an unknown state is "all"');
  t.same(parseFilter(''), { client: '', label: '', state: 'all' });
});

t.test('rows: by text, label and state', async (t) => {
  const beat = (name: string, labels: string[]) => ({ agentId: name, name, labels, cells: [], upPercent: null, downCells: 0 });
  // acme has three hosts; the list carries the bars of two (the third, mail-01, is past the cap: a name, no bar).
  const ok = row('acme', { labels: ['web'], beats: [beat('www-01', ['web']), beat('db-01', [])], hostNames: ['www-01', 'db-01', 'mail-01'], labelHosts: { web: 2 } });
  const crit = row('bakery', { worst: 'CRIT', counts: { OK: 0, WARN: 1, CRIT: 1, UNKNOWN: 0 }, labels: ['db'] });
  const silent = row('café', { agentsSilent: 1, counts: { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 2 }, worst: 'UNKNOWN' });
  const rows = [ok, crit, silent];
  const names = (f: Parameters<typeof matchesFilter>[1]) => rows.filter((r) => matchesFilter(r, f)).map((r) => r.name);
  const all = { client: '', label: '', state: 'all' as const };
  t.same(names(all), ['acme', 'bakery', 'café']);
  t.same(names({ ...all, client: 'WWW' }), ['acme'], 'a host name finds its client, case-insensitively');
  t.same(names({ ...all, client: 'mail' }), ['acme'], 'also a host whose bar the list does not carry');
  t.same(names({ ...all, label: 'db' }), ['bakery']);
  t.same(names({ ...all, state: 'problems' }), ['bakery', 'café'], 'problems: not OK or an agent silent');
  t.same(names({ ...all, state: 'WARN' }), ['bakery'], 'any check in the state, not only the worst');
  t.same(names({ ...all, state: 'UNKNOWN' }), ['café']);
  t.same(names({ ...all, state: 'CRIT', label: 'web' }), [], 'the parts combine');
  const web = hostsShown(ok, { ...all, label: 'web' });
  t.same(web.bars.map((b) => b.name), ['www-01'], 'with a label, only the hosts that carry it get a bar');
  t.equal(web.total, 2, "of the label's hosts in all, counted by the collector: the rest is +1");
  const any = hostsShown(ok, all);
  t.same(any.bars.map((b) => b.name), ['www-01', 'db-01']);
  t.equal(any.total, 3, 'every host, with a bar or not: the rest is +1');
  t.equal(hostsShown(ok, { ...all, label: 'gone' }).total, 0, 'a label no host carries (any more) counts none');
  t.equal(hostsShown(ok, { ...all, label: 'constructor' }).total, 0, "a label named like an object's own property is not one");
  const odd = row('odd', JSON.parse('{"labelHosts": {"__proto__": 3}}') as Partial<ClientSummary>);
  t.equal(hostsShown(odd, { ...all, label: '__proto__' }).total, 3, 'a label "__proto__" counts as sent');
  t.same(allLabels(rows), ['db', 'web']);
});
