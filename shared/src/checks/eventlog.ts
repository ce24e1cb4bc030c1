import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const EVENTLOG_DEFAULT_INTERVAL_MS = 300_000;
export const EVENTLOG_DEFAULT_WINDOW_MS = 3_600_000; // an event stays counted for an hour, so one at 03:00 is still seen at the morning look
export const EVENTLOG_LEVELS = ['critical', 'error', 'warning', 'info'] as const;

function duration(description: string) {
  return Type.Union([...DurationSchema.anyOf], { description });
}

export const EventlogCheckSchema = checkSchema(
  'eventlog',
  {
    source: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('journald'), Type.Literal('windows')], { default: 'auto', description: 'the Windows event log, or journald; auto picks the machine\'s' })),
    log: Type.Optional(Type.String({ minLength: 1, description: 'Windows: the log (default System), e.g. Application, Microsoft-Windows-Backup' })),
    provider: Type.Optional(Type.String({ minLength: 1, description: 'Windows: the event source (ProviderName), e.g. disk, Microsoft-Windows-Backup' })),
    ids: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 65535 }), { minItems: 1, maxItems: 20, description: 'Windows: event ids, e.g. [7, 11, 51] for disk errors' })),
    unit: Type.Optional(Type.String({ minLength: 1, description: 'journald: a systemd unit (journalctl -u)' })),
    identifier: Type.Optional(Type.String({ minLength: 1, description: 'journald: a syslog identifier (journalctl -t)' })),
    level: Type.Optional(Type.Union(EVENTLOG_LEVELS.map((l) => Type.Literal(l)), { description: 'this level and worse (default: any)' })),
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'a regular expression the message must match (case-insensitive); on Windows the message is in the machine\'s language' })),
    window: Type.Optional(duration('count events over this time (default 1h)')),
    warnCount: Type.Optional(Type.Integer({ minimum: 1, description: 'WARN from this many events in the window (default 1)' })),
    critCount: Type.Optional(Type.Integer({ minimum: 1, description: 'CRIT from this many events in the window' })),
    journalDirectory: Type.Optional(Type.String({ minLength: 1, description: 'journald: read this journal directory (journalctl -D)' })),
  },
  'events matching a pattern in the Windows event log or journald (provider/unit, ids, level, message), counted over a window',
);
export type EventlogCheckConfig = Static<typeof EventlogCheckSchema>;
