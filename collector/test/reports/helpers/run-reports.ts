/**
 * A child process that does what the scheduler does at one slot: open the collector's database, start report
 * mailing with the given SMTP port, and run the monthly reports due at the slot. Argv: data dir, SMTP port, slot (ms).
 */
import { openTestStoreAt, TEST_STORE } from '../../helpers/test-store.ts';
import { ReportService } from '../../../src/reports/service.ts';

// The store of the test's data dir, of the suite's kind (NINES_TEST_STORE is inherited from the test).
const [dir, port, slot] = process.argv.slice(2);
const opened = await openTestStoreAt(dir!, TEST_STORE);
const store = opened.store;
const service = new ReportService(store, () => Number(slot), { info() {}, warn() {}, error() {} } as never);
await service.start({ smtp: { host: '127.0.0.1', port: Number(port), from: 'reports@consult.example', timeout: '30s' }, reports: { monthly: { at: '00:15' } } });
const outcomes = await service.delivery.runMonthlyReports(Number(slot));
process.stdout.write(JSON.stringify(outcomes));
service.stop();
await opened.close({ keep: true });
