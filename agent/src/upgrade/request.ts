/**
 * The upgrade request: the one thing the unprivileged agent hands the privileged upgrader. The agent writes
 * REQUEST_DIR/request holding a version and nothing else; the upgrader (root / SYSTEM) takes it and removes it.
 * Its content is never trusted: a version string is all it may say, and the upgrader installs that version only
 * if the signed build for this machine reports exactly it (apply.ts). Reading a file in a directory that the
 * agent user controls, as root, is where privilege escalations live, so takeRequest opens without following
 * symlinks, without blocking on a FIFO, refuses hard links and anything bigger than a version could be, reads
 * at most MAX_REQUEST_BYTES + 1 bytes, and empties the directory (without recursing) whatever it found.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isVersion } from '@nines/shared';
import { UpgradeError, UpgradeErrors } from './errors.ts';

export const REQUEST_FILE = 'request';
/** "1.22.333-rc.4444\n" and then some: a version is short, anything longer is not a request. */
export const MAX_REQUEST_BYTES = 64;

/** Agent side: asks for `version`, written beside and renamed into place so the upgrader never sees half a file. */
export function writeRequest(dir: string, version: string): void {
  if (!isVersion(version)) throw new UpgradeError(UpgradeErrors.BAD_REQUEST, `"${version}" is not a version`);
  const tmp = join(dir, `.${REQUEST_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, version + '\n', { mode: 0o600 });
  renameSync(tmp, join(dir, REQUEST_FILE));
}

/** Pure: the version a request's bytes name; throws BAD_REQUEST for anything else. */
export function parseRequest(bytes: Buffer): string {
  if (bytes.length > MAX_REQUEST_BYTES) throw new UpgradeError(UpgradeErrors.BAD_REQUEST, `the request is more than ${MAX_REQUEST_BYTES} bytes: not a version`);
  const text = bytes.toString('latin1').trim();
  if (!isVersion(text)) throw new UpgradeError(UpgradeErrors.BAD_REQUEST, `the request names ${JSON.stringify(text.slice(0, 40))}, not a version like 1.2.3`);
  return text;
}

export interface TakenRequest {
  /** The requested version, or null when the directory held no request. */
  version: string | null;
  /** Other entries found and removed (or that could not be), for the log. */
  removed: string[];
}

/**
 * Upgrader side: reads and removes REQUEST_DIR/request, and removes whatever else is there (the path unit fires
 * while the directory is not empty). Throws BAD_REQUEST for a request that is not a plain small file naming a
 * version, after removing it too: a refused request is not tried again.
 */
export function takeRequest(dir: string, options: { checkParent: boolean }): TakenRequest {
  if (options.checkParent) checkRequestDir(dir);
  const removed: string[] = [];
  let request: Buffer | Error | null = null;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    throw new UpgradeError(UpgradeErrors.BAD_REQUEST, `cannot read the request directory ${dir}: ${(error as Error).message} (\`nines-agent install\` creates it)`, { cause: error });
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (entry === REQUEST_FILE) request = readPlainFile(path, MAX_REQUEST_BYTES, 'the request');
    removed.push(entry);
    try {
      if (lstatSync(path).isDirectory()) rmdirSync(path); // never recursive: the agent user owns what is inside
      else unlinkSync(path); // a symlink is removed itself, not what it points at
    } catch (error) {
      removed.push(`(could not remove ${entry}: ${(error as Error).message})`);
    }
  }
  const others = removed.filter((e) => e !== REQUEST_FILE);
  if (request === null) return { version: null, removed: others };
  if (request instanceof Error) throw request;
  return { version: parseRequest(request), removed: others };
}

/**
 * The bytes of a plain file of at most maxBytes that the agent user may have planted (the request, the identity
 * in its state dir), read as root: or the reason it is not one, as an UpgradeError that never quotes the content.
 */
export function readPlainFile(path: string, maxBytes: number, what: string): Buffer | Error {
  let fd: number;
  try {
    // O_NOFOLLOW: a symlink to /etc/shadow fails with ELOOP; O_NONBLOCK: a FIFO does not hang the upgrader.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return new UpgradeError(UpgradeErrors.BAD_REQUEST, code === 'ELOOP' ? `${what} is a symbolic link: refused` : `cannot open ${what}: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return new UpgradeError(UpgradeErrors.BAD_REQUEST, `${what} is not a plain file: refused`);
    // A hard link would let the agent user make root read (and here: unlink a name of) a file it cannot.
    if (stat.nlink > 1) return new UpgradeError(UpgradeErrors.BAD_REQUEST, `${what} has ${stat.nlink} hard links: refused`);
    if (stat.size > maxBytes) return new UpgradeError(UpgradeErrors.BAD_REQUEST, `${what} is ${stat.size} bytes, more than the ${maxBytes} it can be: refused unread`);
    const buffer = Buffer.alloc(maxBytes + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * The request directory must be a real directory whose parent only root may change: else the agent user could
 * rename it away and put a symlink to /etc in its place between two of the upgrader's steps.
 */
export function checkRequestDir(dir: string): void {
  const self = lstatSync(dir, { throwIfNoEntry: false });
  if (!self) throw new UpgradeError(UpgradeErrors.BAD_REQUEST, `there is no request directory ${dir} (\`nines-agent install\` creates it)`);
  if (!self.isDirectory()) throw new UpgradeError(UpgradeErrors.BAD_REQUEST, `${dir} is not a directory (a symbolic link?): refusing to look inside`);
  const parent = statSync(dirname(dir));
  if (parent.uid !== 0 || (parent.mode & 0o022) !== 0) {
    throw new UpgradeError(UpgradeErrors.BAD_REQUEST, `${dirname(dir)} must belong to root and be writable by nobody else (it is uid ${parent.uid}, mode ${(parent.mode & 0o777).toString(8)}): reinstall with \`nines-agent install\``);
  }
}
