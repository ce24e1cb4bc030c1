import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupProbeError } from '../probe.ts';

export interface FileEntry {
  /** Path relative to the watched folder, with / between parts. */
  relativePath: string;
  name: string;
  mtimeMs: number;
  sizeBytes: number;
}

const MAX_ENTRIES = 100_000; // a dump folder with more files than this is a problem of its own; stop rather than stall

/** Every regular file in the folder (and its subfolders when recursive), with time and size. */
export async function collectFiles(folder: string, recursive: boolean): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const walk = async (dir: string, prefix: string, top: boolean): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      // An unreadable subfolder must not hide the backups beside it; only the watched folder itself is fatal.
      if (top) throw new BackupProbeError(`cannot read the folder ${folder} (${code})`, 'UNKNOWN', { cause: error });
      return;
    }
    for (const entry of entries) {
      if (out.length >= MAX_ENTRIES) return;
      const path = join(dir, entry.name);
      const relativePath = prefix + entry.name;
      if (entry.isDirectory()) {
        if (recursive) await walk(path, `${relativePath}/`, false);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      try {
        const info = await stat(path);
        if (info.isFile()) out.push({ relativePath, name: entry.name, mtimeMs: Math.floor(info.mtimeMs), sizeBytes: info.size });
      } catch {
        // deleted between readdir and stat (rotation running right now), or a dangling link: not a backup
      }
    }
  };
  await walk(folder, '', true);
  return out;
}
