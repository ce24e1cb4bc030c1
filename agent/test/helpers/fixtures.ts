import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/**
 * A captured real output from agent/test/fixtures/<tool>/<name>.
 * Its first line names where it came from ("# source: restic 0.14.0 on Debian 12, `restic snapshots --json`")
 * and is dropped here, so the rest is byte for byte what the tool printed.
 */
export function fixture(tool: string, name: string): string {
  const text = readFileSync(join(root, tool, name), 'utf8');
  const newline = text.indexOf('\n');
  if (!text.startsWith('# source:') || newline < 0) throw new Error(`fixture ${tool}/${name} lacks its "# source:" line`);
  return text.slice(newline + 1);
}
