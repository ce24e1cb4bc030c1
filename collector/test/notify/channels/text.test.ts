import t from 'tap';
import { cut, cutUtf8, maskUrl } from '../../../src/notify/channels/text.ts';

t.test('cut keeps short text, cuts long text to the limit with "…", never inside an emoji', async (t) => {
  t.equal(cut('Webshop', 7), 'Webshop');
  const cutText = cut('Webshop ist ausgefallen', 10);
  t.equal(cutText.length, 10);
  t.equal(cutText, 'Webshop i…');
  const emoji = cut('ab🚨cd', 4);
  t.equal(emoji, 'ab…', 'the surrogate pair at the cut goes whole');
  t.ok(emoji.length <= 4);
});

t.test('maskUrl keeps scheme, host and the first segment, hides the credential path and the query', async (t) => {
  t.equal(maskUrl('https://hooks.slack.com/services/T0123/B0456/xyzsecret'), 'https://hooks.slack.com/services/T…/***');
  const teams = maskUrl('https://prod-12.westeurope.logic.azure.com:443/workflows/0a1b2c/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRETSIG');
  t.equal(teams, 'https://prod-12.westeurope.logic.azure.com/workflows/0…/***', 'default port dropped, sig gone');
  t.equal(maskUrl('http://127.0.0.1:8080/abcdef'), 'http://127.0.0.1:8080/a…/***');
  t.equal(maskUrl('not a url'), '***');
});

t.test('cutUtf8 counts bytes: umlauts are two, the "…" three', async (t) => {
  t.equal(cutUtf8('Prüfung', 8), 'Prüfung', '8 bytes fit exactly');
  const cutText = cutUtf8('Prüfung fehlgeschlagen', 8);
  t.equal(cutText, 'Prüf…', 'P r ü f = 5 bytes + 3 for the ellipsis');
  t.ok(Buffer.byteLength(cutText) <= 8);
});
