import type { Synchronous } from '../synchronous.ts';
import type { AlertAudience } from '@nines/shared';
import type { Db } from './database.ts';
import type { Recipient, RecipientFields, RecipientRepository } from '../recipients.ts';
import type { Severity } from '../../alerting/state-machine.ts';

interface RecipientRow {
  id: number; client_id: number | null; name: string; channel: string; address: string; target: string | null; audience: AlertAudience; language: 'de' | 'en'; timezone: string;
  quiet_from: string | null; quiet_to: string | null; min_severity: Severity; reminders: number; resolved: number; escalation_only: number; reports: number; enabled: number;
}

function toRecipient(r: RecipientRow): Recipient {
  return {
    id: r.id, clientId: r.client_id, name: r.name, channel: r.channel, address: r.address,
    // E-mail rows from before migration 011 carry no target: their address is it.
    target: r.target === null ? { address: r.address } : (JSON.parse(r.target) as Record<string, unknown>), audience: r.audience, language: r.language, timezone: r.timezone,
    quietHours: r.quiet_from && r.quiet_to ? { from: r.quiet_from, to: r.quiet_to } : null,
    minSeverity: r.min_severity, reminders: r.reminders === 1, resolved: r.resolved === 1, escalationOnly: r.escalation_only === 1, reports: r.reports === 1, enabled: r.enabled === 1,
  };
}

export class SqliteRecipients implements Synchronous<RecipientRepository> {
  private readonly stmt;
  private readonly removeInTransaction: (id: number) => boolean;

  constructor(db: Db) {
    this.stmt = {
      // ifnull: NULL client ids (the all-clients recipients) are equal here, as in the unique index recipients_unique.
      idOf: db.prepare(`SELECT id FROM recipients WHERE ifnull(client_id, 0) = ifnull(@clientId, 0) AND channel = @channel AND address = @address`).pluck(),
      update: db.prepare(
        `UPDATE recipients SET name = @name, target = @target, audience = @audience, language = @language, timezone = @timezone, quiet_from = @quietFrom,
           quiet_to = @quietTo, min_severity = @minSeverity, reminders = @reminders, resolved = @resolved, escalation_only = @escalationOnly,
           reports = @reports, enabled = @enabled WHERE id = @id`,
      ),
      insert: db.prepare(
        `INSERT INTO recipients (client_id, name, channel, address, target, audience, language, timezone, quiet_from, quiet_to, min_severity, reminders, resolved,
           escalation_only, reports, enabled, created_at)
         VALUES (@clientId, @name, @channel, @address, @target, @audience, @language, @timezone, @quietFrom, @quietTo, @minSeverity, @reminders, @resolved,
           @escalationOnly, @reports, @enabled, @now)`,
      ),
      byId: db.prepare(`SELECT * FROM recipients WHERE id = ?`),
      list: db.prepare(`SELECT * FROM recipients ORDER BY ifnull(client_id, 0), channel, address`),
      forClient: db.prepare(`SELECT * FROM recipients WHERE enabled = 1 AND (client_id IS NULL OR client_id = ?) ORDER BY id`),
      queuedFor: db.prepare(`SELECT 1 FROM notification_outbox WHERE recipient_id = ? LIMIT 1`),
      disable: db.prepare(`UPDATE recipients SET enabled = 0 WHERE id = ?`),
      delete: db.prepare(`DELETE FROM recipients WHERE id = ?`),
    };
    this.removeInTransaction = db.transaction((id: number) => {
      const info = this.stmt.queuedFor.get(id) ? this.stmt.disable.run(id) : this.stmt.delete.run(id);
      return info.changes > 0;
    });
  }

  upsert(r: RecipientFields, now: number): number {
    const values = {
      clientId: r.clientId, name: r.name, channel: r.channel, address: r.address, target: JSON.stringify(r.target), audience: r.audience, language: r.language, timezone: r.timezone,
      quietFrom: r.quietHours?.from ?? null, quietTo: r.quietHours?.to ?? null, minSeverity: r.minSeverity,
      reminders: r.reminders ? 1 : 0, resolved: r.resolved ? 1 : 0, escalationOnly: r.escalationOnly ? 1 : 0, reports: r.reports ? 1 : 0, enabled: r.enabled ? 1 : 0, now,
    };
    const existing = this.stmt.idOf.get(values) as number | undefined;
    if (existing !== undefined) {
      this.stmt.update.run({ ...values, id: existing });
      return existing;
    }
    return Number(this.stmt.insert.run(values).lastInsertRowid);
  }

  get(id: number): Recipient | undefined {
    const row = this.stmt.byId.get(id) as RecipientRow | undefined;
    return row && toRecipient(row);
  }

  list(): Recipient[] {
    return (this.stmt.list.all() as RecipientRow[]).map(toRecipient);
  }

  forClient(clientId: number): Recipient[] {
    return (this.stmt.forClient.all(clientId) as RecipientRow[]).map(toRecipient);
  }

  remove(id: number): boolean {
    return this.removeInTransaction(id);
  }
}
