import { readFile } from 'node:fs/promises';
import { BackupProbeError } from './probe.ts';

export interface SecretSource {
  file?: string;
  env?: string;
}

/**
 * The secret from a file (its first line) or an environment variable; undefined when neither is configured.
 * Errors name where the secret was looked for, never the secret.
 */
export async function readSecret(source: SecretSource, what: string): Promise<string | undefined> {
  if (source.file !== undefined) {
    let text: string;
    try {
      text = await readFile(source.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new BackupProbeError(`cannot read the ${what} file ${source.file} (${code})`, 'UNKNOWN', { cause: error });
    }
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    if (firstLine === '') throw new BackupProbeError(`the ${what} file ${source.file} is empty`);
    return firstLine;
  }
  if (source.env !== undefined) {
    const value = process.env[source.env];
    if (value === undefined || value === '') throw new BackupProbeError(`the environment variable ${source.env} (${what}) is not set`);
    return value;
  }
  return undefined;
}
