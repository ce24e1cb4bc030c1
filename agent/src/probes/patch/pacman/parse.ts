import type { PendingUpdate } from '../types.ts';

// checkupdates (pacman-contrib): "<name> <installed> -> <available>"
const ROW = /^(\S+) (\S+) -> (\S+)$/;

export function parseCheckupdates(text: string): PendingUpdate[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((line) => {
      const m = ROW.exec(line.trim());
      if (!m) throw new Error(`unrecognised checkupdates line: ${line.slice(0, 200)}`);
      return { name: m[1]!, current: m[2]!, candidate: m[3]!, security: false };
    });
}
