import t from 'tap';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from '../../src/store/sqlite/database.ts';

t.test('migration 012: existing client e-mail contact points get reports, others not; report_sends is unique per send', async (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  db.pragma('foreign_keys = ON');
  const all = loadMigrations();
  migrate(db, all.filter((m) => m.version < 12));
  db.exec(`INSERT INTO clients (id, name, created_at) VALUES (1, 'acme', 0);
    INSERT INTO recipients (id, client_id, name, channel, address, audience, created_at) VALUES
      (1, 1, 'Owner', 'email', 'owner@acme.example', 'plain', 0),
      (2, 1, 'Phone', 'ntfy', 'acme-topic', 'plain', 0),
      (3, NULL, 'Karin', 'email', 'karin@consult.example', 'technical', 0);`);
  migrate(db, all);
  t.same(db.prepare(`SELECT id, reports FROM recipients ORDER BY id`).all(), [{ id: 1, reports: 1 }, { id: 2, reports: 0 }, { id: 3, reports: 0 }]);
  const insert = db.prepare(`INSERT INTO report_sends (client_id, period, recipient_id, resend, message_id, rendered_at) VALUES (1, '2026-10', 1, ?, ?, 0)`);
  insert.run(0, '<a@x>');
  t.throws(() => insert.run(0, '<b@x>'), /UNIQUE/, 'one scheduled send per client, period and recipient');
  insert.run(1, '<c@x>');
  t.throws(() => db.prepare(`INSERT INTO report_sends (client_id, period, recipient_id, message_id, rendered_at) VALUES (1, '2026-10', 99, '<d@x>', 0)`).run(), /FOREIGN KEY/);
});
