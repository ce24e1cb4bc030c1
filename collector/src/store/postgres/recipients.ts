import type { AlertAudience } from '@nines/shared';
import type { PgConnection } from './connection.ts';
import type { Recipient, RecipientFields, RecipientRepository } from '../recipients.ts';
import type { Severity } from '../../alerting/state-machine.ts';

interface RecipientRow {
  id: number; client_id: number | null; name: string; channel: string; address: string; target: string | null; audience: AlertAudience; language: 'de' | 'en'; timezone: string;
  quiet_from: string | null; quiet_to: string | null; min_severity: Severity; reminders: number; resolved: number; escalation_only: number; reports: number; enabled: number;
}

function toRecipient(r: RecipientRow): Recipient {
  return {
    id: r.id, clientId: r.client_id, name: r.name, channel: r.channel, address: r.address,
    // E-mail rows from before SQLite's migration 011 carry no target (a database copied from one): their address is it.
    target: r.target === null ? { address: r.address } : (JSON.parse(r.target) as Record<string, unknown>), audience: r.audience, language: r.language, timezone: r.timezone,
    quietHours: r.quiet_from && r.quiet_to ? { from: r.quiet_from, to: r.quiet_to } : null,
    minSeverity: r.min_severity, reminders: r.reminders === 1, resolved: r.resolved === 1, escalationOnly: r.escalation_only === 1, reports: r.reports === 1, enabled: r.enabled === 1,
  };
}

// The columns by name, never *: a prepared SELECT * fails once another collector's migration has added a column.
const SELECT_RECIPIENTS = `SELECT id, client_id, name, channel, address, target, audience, language, timezone, quiet_from, quiet_to, min_severity, reminders,
  resolved, escalation_only, reports, enabled FROM recipients`;

/** Who is told about alerts, one row per contact point, on PostgreSQL. */
export class PgRecipients implements RecipientRepository {
  constructor(private readonly db: PgConnection) {}

  async upsert(r: RecipientFields, now: number): Promise<number> {
    // One statement where SQLite looks the key up and then updates or inserts: two collectors seeding the same
    // contact point at once get one row. The conflict target is the unique index recipients_unique, whose
    // coalesce makes the all-clients recipients (NULL client) equal to each other.
    const row = await this.db.row<{ id: number }>(
      `INSERT INTO recipients (client_id, name, channel, address, target, audience, language, timezone, quiet_from, quiet_to, min_severity, reminders, resolved,
         escalation_only, reports, enabled, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT ((coalesce(client_id, 0)), channel, address) DO UPDATE SET name = excluded.name, target = excluded.target, audience = excluded.audience,
         language = excluded.language, timezone = excluded.timezone, quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to,
         min_severity = excluded.min_severity, reminders = excluded.reminders, resolved = excluded.resolved, escalation_only = excluded.escalation_only,
         reports = excluded.reports, enabled = excluded.enabled
       RETURNING id`,
      [
        r.clientId, r.name, r.channel, r.address, JSON.stringify(r.target), r.audience, r.language, r.timezone, r.quietHours?.from ?? null, r.quietHours?.to ?? null,
        r.minSeverity, r.reminders ? 1 : 0, r.resolved ? 1 : 0, r.escalationOnly ? 1 : 0, r.reports ? 1 : 0, r.enabled ? 1 : 0, now,
      ],
    );
    return row!.id;
  }

  async get(id: number): Promise<Recipient | undefined> {
    const row = await this.db.row<RecipientRow>(`${SELECT_RECIPIENTS} WHERE id = $1`, [id]);
    return row && toRecipient(row);
  }

  async list(): Promise<Recipient[]> {
    return (await this.db.rows<RecipientRow>(`${SELECT_RECIPIENTS} ORDER BY coalesce(client_id, 0), channel, address`)).map(toRecipient);
  }

  async forClient(clientId: number): Promise<Recipient[]> {
    return (await this.db.rows<RecipientRow>(`${SELECT_RECIPIENTS} WHERE enabled = 1 AND (client_id IS NULL OR client_id = $1) ORDER BY id`, [clientId])).map(toRecipient);
  }

  remove(id: number): Promise<boolean> {
    return this.db.transaction(async () => {
      // FOR UPDATE: the recipient row is held while deciding, so no notice is queued for it in between (the outbox's
      // foreign key takes a share lock on it, which waits for this one).
      if (!(await this.db.row(`SELECT 1 FROM recipients WHERE id = $1 FOR UPDATE`, [id]))) return false;
      const queued = await this.db.row(`SELECT 1 FROM notification_outbox WHERE recipient_id = $1 LIMIT 1`, [id]);
      const changes = queued
        ? await this.db.run(`UPDATE recipients SET enabled = 0 WHERE id = $1`, [id])
        : await this.db.run(`DELETE FROM recipients WHERE id = $1`, [id]);
      return changes > 0;
    });
  }
}
