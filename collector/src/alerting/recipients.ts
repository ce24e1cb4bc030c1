import type { AlertAudience, RecipientConfig } from '@nines/shared';
import type { Db } from '../store/sqlite/database.ts';
import { prepared } from '../store/sqlite/statements.ts';
import type { QuietHours } from './quiet-hours.ts';
import type { Severity } from './state-machine.ts';

export interface Recipient {
  id: number;
  /** null: told about every client (the consultant). */
  clientId: number | null;
  name: string;
  email: string;
  audience: AlertAudience;
  language: 'de' | 'en';
  timezone: string;
  quietHours: QuietHours | null;
  minSeverity: Severity;
  reminders: boolean;
  resolved: boolean;
  escalationOnly: boolean;
  enabled: boolean;
}

interface RecipientRow {
  id: number; client_id: number | null; name: string; email: string; audience: AlertAudience; language: 'de' | 'en'; timezone: string;
  quiet_from: string | null; quiet_to: string | null; min_severity: Severity; reminders: number; resolved: number; escalation_only: number; enabled: number;
}

function toRecipient(r: RecipientRow): Recipient {
  return {
    id: r.id, clientId: r.client_id, name: r.name, email: r.email, audience: r.audience, language: r.language, timezone: r.timezone,
    quietHours: r.quiet_from && r.quiet_to ? { from: r.quiet_from, to: r.quiet_to } : null,
    minSeverity: r.min_severity, reminders: r.reminders === 1, resolved: r.resolved === 1, escalationOnly: r.escalation_only === 1, enabled: r.enabled === 1,
  };
}

export type RecipientInput = Omit<RecipientConfig, 'client'> & { clientId: number | null; enabled?: boolean };

/** Recipients live in the DB (API-managed) and can be seeded from the YAML config; (client, email) is the key. */
export class RecipientStore {
  constructor(private readonly db: Db) {}

  /** Creates or updates the recipient with this client and email; returns its id. */
  upsert(input: RecipientInput, now: number): number {
    assertTimeZone(input.timezone);
    const values = {
      clientId: input.clientId, name: input.name, email: input.email.toLowerCase(), audience: input.audience, language: input.language ?? 'de',
      timezone: input.timezone ?? 'Europe/Berlin', quietFrom: input.quietHours?.from ?? null, quietTo: input.quietHours?.to ?? null,
      minSeverity: input.minSeverity ?? 'WARN', reminders: input.reminders === false ? 0 : 1, resolved: input.resolved === false ? 0 : 1,
      escalationOnly: input.escalationOnly ? 1 : 0, enabled: input.enabled === false ? 0 : 1, now,
    };
    const existing = prepared(this.db, `SELECT id FROM recipients WHERE ifnull(client_id, 0) = ifnull(@clientId, 0) AND email = @email`)
      .pluck()
      .get(values) as number | undefined;
    if (existing !== undefined) {
      prepared(this.db, `UPDATE recipients SET name = @name, audience = @audience, language = @language, timezone = @timezone, quiet_from = @quietFrom,
             quiet_to = @quietTo, min_severity = @minSeverity, reminders = @reminders, resolved = @resolved, escalation_only = @escalationOnly,
             enabled = @enabled WHERE id = @id`,
        )
        .run({ ...values, id: existing });
      return existing;
    }
    return Number(
      prepared(this.db, `INSERT INTO recipients (client_id, name, email, audience, language, timezone, quiet_from, quiet_to, min_severity, reminders, resolved,
             escalation_only, enabled, created_at)
           VALUES (@clientId, @name, @email, @audience, @language, @timezone, @quietFrom, @quietTo, @minSeverity, @reminders, @resolved,
             @escalationOnly, @enabled, @now)`,
        )
        .run(values).lastInsertRowid,
    );
  }

  get(id: number): Recipient | undefined {
    const row = prepared(this.db, `SELECT * FROM recipients WHERE id = ?`).get(id) as RecipientRow | undefined;
    return row && toRecipient(row);
  }

  list(): Recipient[] {
    return (prepared(this.db, `SELECT * FROM recipients ORDER BY ifnull(client_id, 0), email`).all() as RecipientRow[]).map(toRecipient);
  }

  /** Enabled recipients told about this client: its own and the all-clients ones. */
  forClient(clientId: number): Recipient[] {
    return (prepared(this.db, `SELECT * FROM recipients WHERE enabled = 1 AND (client_id IS NULL OR client_id = ?) ORDER BY id`).all(clientId) as RecipientRow[]).map(
      toRecipient,
    );
  }

  /** Disables rather than deletes when mail was already queued for it (the outbox keeps its history). */
  remove(id: number): boolean {
    const used = prepared(this.db, `SELECT 1 FROM notification_outbox WHERE recipient_id = ? LIMIT 1`).get(id);
    const info = used
      ? prepared(this.db, `UPDATE recipients SET enabled = 0 WHERE id = ?`).run(id)
      : prepared(this.db, `DELETE FROM recipients WHERE id = ?`).run(id);
    return info.changes > 0;
  }
}

export function assertTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin)`);
  }
}
