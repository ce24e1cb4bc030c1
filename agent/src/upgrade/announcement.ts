/**
 * STATE_DIR/update.json: the newest `update` message the collector sent, kept by the running agent so that
 * `nines-agent upgrade` (another process, often run by an administrator) knows what version is on offer.
 * The version travels over the authenticated socket; the bytes are checked against the signed SHA256SUMS.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaValidator, UpdateMessageSchema, type UpdateMessage } from '@nines/shared';

export const ANNOUNCEMENT_FILE = 'update.json';
const validate = schemaValidator(UpdateMessageSchema);

export function writeAnnouncement(stateDir: string, update: UpdateMessage): void {
  const path = join(stateDir, ANNOUNCEMENT_FILE);
  writeFileSync(path + '.tmp', JSON.stringify(update, null, 2) + '\n');
  renameSync(path + '.tmp', path);
}

/** null when none was received (or the file is damaged: the next connection writes it again). */
export function readAnnouncement(stateDir: string): UpdateMessage | null {
  try {
    const value: unknown = JSON.parse(readFileSync(join(stateDir, ANNOUNCEMENT_FILE), 'utf8'));
    return validate.check(value) ? value : null;
  } catch {
    return null;
  }
}
