import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const LOGINS_DEFAULT_INTERVAL_MS = 300_000; // a burst is found within five minutes of its start
export const LOGINS_DEFAULT_WINDOW_MS = 900_000; // failures are counted over the last 15 minutes
export const LOGINS_DEFAULT_WARN_FAILURES = 30; // an SSH port open to the internet sees a few scans an hour; 30 in 15 min is an attack
export const LOGINS_DEFAULT_CRIT_FAILURES = 300;
export const LOGINS_DEFAULT_NEW_SOURCE_HOLD_MS = 86_400_000; // a login from a new place stays visible for a day, not one run

function duration(description: string) {
  return Type.Union([...DurationSchema.anyOf], { description });
}

export const LoginsCheckSchema = checkSchema(
  'logins',
  {
    source: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('journald'), Type.Literal('authlog'), Type.Literal('windows')], {
        default: 'auto',
        description: 'where logins are read: journald (sshd), an auth log file, or the Windows Security log (4624/4625); auto picks the machine\'s',
      }),
    ),
    authLog: Type.Optional(Type.String({ minLength: 1, description: 'auth log file (default /var/log/auth.log, else /var/log/secure)' })),
    journalDirectory: Type.Optional(Type.String({ minLength: 1, description: 'read this journal directory instead of the system journal (journalctl -D)' })),
    window: Type.Optional(duration('failed logins are counted over this time (default 15m)')),
    warnFailures: Type.Optional(Type.Integer({ minimum: 1, description: 'WARN from this many failed logins in the window (default 30)' })),
    critFailures: Type.Optional(Type.Integer({ minimum: 1, description: 'CRIT from this many failed logins in the window (default 300)' })),
    newSourceStatus: Type.Optional(Type.Union([Type.Literal('OK'), Type.Literal('WARN'), Type.Literal('CRIT')], { description: 'status of a successful login from a source not seen before for that user (default WARN)' })),
    newSourceHold: Type.Optional(duration('a new source stays reported this long (default 24h)')),
    ignoreSources: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'addresses never counted (the office, the monitoring host)' })),
  },
  'failed-login bursts and successful logins from a new source: sshd in journald or the auth log, Windows Security log 4625/4624',
);
export type LoginsCheckConfig = Static<typeof LoginsCheckSchema>;
