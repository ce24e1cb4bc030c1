/**
 * A child process that does what the scheduler does at one slot: open the collector's database, start report
 * mailing with the given SMTP port, and run the monthly reports due at the slot. Argv: db file, SMTP port, slot (ms).
 */
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { ReportService } from '../../../src/reports/service.ts';

const [file, port, slot] = process.argv.slice(2);
const store = new SqliteStore(file!);
const service = new ReportService(store, () => Number(slot), { info() {}, warn() {}, error() {} } as never);
await service.start({ smtp: { host: '127.0.0.1', port: Number(port), from: 'reports@consult.example', timeout: '30s' }, reports: { monthly: { at: '00:15' } } });
const outcomes = await service.delivery.runMonthlyReports(Number(slot));
process.stdout.write(JSON.stringify(outcomes));
service.stop();
await store.close();
