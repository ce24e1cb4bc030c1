import t from 'tap';
import { asList, powershellDate } from '../../../src/probes/powershell.ts';

t.test('powershellDate: ISO text and Windows PowerShell 5.1 "/Date(ms)/" read as epoch ms; "never" and garbage are no date', async (t) => {
  const at = Date.UTC(2026, 7, 12, 5, 46, 48);
  t.equal(powershellDate(new Date(at).toISOString()), at);
  t.equal(powershellDate('2026-08-12T05:46:48.0000000Z'), at, 'the .NET round-trip format of our scripts');
  t.equal(powershellDate(`/Date(${at})/`), at, 'ConvertTo-Json of a DateTime in PowerShell 5.1');
  t.equal(powershellDate(`/Date(${at}+0200)/`), at, 'the offset suffix only says which zone it was shown in; the ms are UTC');
  t.equal(powershellDate('/Date(-11644473600000)/'), undefined, '1601-01-01, how Defender writes "never updated"');
  t.equal(powershellDate('0001-01-01T00:00:00.0000000Z'), undefined, '"never scanned"');
  for (const bad of [null, undefined, '', 42, '/Date(abc)/', 'gestern', {}]) t.equal(powershellDate(bad), undefined, `no date from ${JSON.stringify(bad)}`);
});

t.test('asList: PowerShell 5.1 writes one element bare and none as null', async (t) => {
  t.same(asList(null), []);
  t.same(asList({ a: 1 }), [{ a: 1 }]);
  t.same(asList([1, 2]), [1, 2]);
});
