import t from 'tap';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from '../../src/store/sqlite/database.ts';

t.test('migration 006 keeps every alert and its transitions, and allows client-level alerts', async (t) => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  const all = loadMigrations();
  migrate(db, all.filter((m) => m.version < 6));
  db.exec(`INSERT INTO clients (id, name, created_at) VALUES (1, 'acme', 0);
    INSERT INTO agents (id, client_id, name, secret_hash, created_at) VALUES ('ag1', 1, 'pc-01', 'x', 0);
    INSERT INTO alerts (id, client_id, agent_id, kind, subject, memory_json, state, updated_at) VALUES (41, 1, 'ag1', 'check', 'web', '{}', 'FIRING', 5);
    INSERT INTO alert_transitions (alert_id, incident, event, from_state, to_state, message, at) VALUES (41, 1, 'firing', 'OK', 'FIRING', 'down', 5);`);
  migrate(db, all);
  t.same(db.prepare(`SELECT id, agent_id, state FROM alerts`).all(), [{ id: 41, agent_id: 'ag1', state: 'FIRING' }]);
  t.same(db.pragma('foreign_key_check'), [], 'transitions still point at their alert');
  db.prepare(`INSERT INTO alerts (client_id, agent_id, kind, subject, memory_json, state, updated_at) VALUES (1, NULL, 'budget', '2026-11:50', '{}', 'FIRING', 6)`).run();
  t.throws(
    () => db.prepare(`INSERT INTO alerts (client_id, agent_id, kind, subject, memory_json, state, updated_at) VALUES (1, NULL, 'budget', '2026-11:50', '{}', 'OK', 7)`).run(),
    /UNIQUE/,
    'one client-level alert per client, kind and subject',
  );
  t.throws(
    () => db.prepare(`INSERT INTO alerts (client_id, agent_id, kind, subject, memory_json, state, updated_at) VALUES (1, 'ag1', 'check', 'web', '{}', 'OK', 7)`).run(),
    /UNIQUE/,
    'agent alerts stay unique per agent, kind and subject',
  );
  t.throws(() => db.prepare(`DELETE FROM alerts WHERE id = 41`).run(), /FOREIGN KEY/, 'the foreign key from transitions still holds');
});
