/**
 * pdfkit (with fontkit, brotli's decoder, crypto-js) is loaded by the first report document, not when the collector
 * starts (reports/pdf/layout.ts, issue 18: ~5 MiB of heap a collector that makes no report never uses).
 * Every command of the CLI is imported here, as the collector's entry imports them.
 */
import t from 'tap';
import { createRequire } from 'node:module';
import '../../src/cli.ts';
import { ReportDocument } from '../../src/reports/pdf/layout.ts';
import { loadBranding } from '../../src/reports/pdf/branding.ts';

const require = createRequire(import.meta.url);
const pdfkitLoaded = () => Object.keys(require.cache).some((file) => /node_modules[\\/]pdfkit[\\/]/.test(file));

t.test('the CLI and its commands load without pdfkit; the first document loads it', async (t) => {
  t.notOk(pdfkitLoaded(), 'not loaded by importing the collector');
  const doc = await ReportDocument.create(loadBranding({ name: 'Acme' }, 'Nines'), (page, of) => `${page}/${of}`, { title: 't', createdAt: Date.UTC(2026, 0, 1), lang: 'en' });
  t.ok(doc.doc, 'a document');
  t.ok(pdfkitLoaded(), 'loaded for it');
});
