import type { PendingUpdate } from '../types.ts';

// `apk version -l '<'` (apk-tools 2): a header, then "<name>-<version>-r<rel>  < <newer version>"
const ROW = /^(\S+)-(\d[^\s-]*-r\d+)\s+<\s+(\S+)\s*$/;

export function parseApkVersion(text: string): PendingUpdate[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  if (lines.length === 0 || !/^Installed:\s+Available:/.test(lines[0]!)) {
    throw new Error('no "Installed: Available:" header in apk version output');
  }
  return lines.slice(1).map((line) => {
    const m = ROW.exec(line);
    if (!m) throw new Error(`unrecognised apk version line: ${line.slice(0, 200)}`);
    return { name: m[1]!, current: m[2]!, candidate: m[3]!, security: false };
  });
}
