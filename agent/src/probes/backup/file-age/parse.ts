import { byCodeUnit } from '@nines/shared';
import type { FileEntry } from './collect.ts';

/** A shell-style glob on file names (* ? [abc] [!abc]) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        source += '\\[';
        continue;
      }
      let set = glob.slice(i + 1, end);
      if (set.startsWith('!')) set = '^' + set.slice(1);
      source += `[${set.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The files whose name matches the pattern, newest first (ties: larger first, then by path, to stay stable). */
export function matchingFiles(files: readonly FileEntry[], pattern: string): FileEntry[] {
  const re = globToRegExp(pattern);
  return files
    .filter((f) => re.test(f.name))
    .sort((a, b) => b.mtimeMs - a.mtimeMs || b.sizeBytes - a.sizeBytes || byCodeUnit(a.relativePath, b.relativePath));
}
