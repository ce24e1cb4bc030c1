import { pino, type Logger } from 'pino';
import { resolve } from 'node:path';

/** Where the agent keeps identity, spool and caches: flag, then env, then the service default. */
export function stateDirFrom(flag: string | undefined): string {
  return resolve(flag ?? process.env.NINES_AGENT_STATE_DIR ?? '/var/lib/nines-agent');
}

export function makeLogger(level = process.env.NINES_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'nines-agent' }, redact: ['secret', '*.secret', 'token', 'headers.authorization'] });
}

export { UsageError } from '@nines/shared/cli';
