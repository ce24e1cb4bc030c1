import type { ExecResult } from '../../../exec.ts';
import { resticFailure } from '../../backup/restic/parse.ts';
import type { IntegrityVerdict } from '../verdict.ts';

const NO_ERRORS = /^no errors were found$/m;
// "read group #1 of 2 data packs (out of total 2 packs in 1 groups)"
const READ_GROUP = /^read group #\d+ of (\d+) data packs/m;
// restic's own retries of a failing read; the error that follows them says what is wrong
const RETRY = /returned error, retrying after /;

/**
 * The outcome of `restic check --read-data-subset=n/T`. restic 0.14 prints progress and "no errors were found"
 * on stdout, each error it finds on stderr and then "Fatal: repository contains errors" (exit 1). Any other
 * failure (lock, password, no repository) did not check anything: failed, with restic's reason.
 */
export function parseResticCheck(result: ExecResult, repository: string): IntegrityVerdict {
  if (result.code === 0) {
    if (!NO_ERRORS.test(result.stdout)) return { state: 'failed', error: `restic check exited 0 without "no errors were found": "${excerpt(result.stdout)}"` };
    const packs = READ_GROUP.exec(result.stdout);
    return packs ? { state: 'verified', packs: Number(packs[1]) } : { state: 'verified' };
  }
  if (result.code !== null && /^Fatal: repository contains errors/m.test(result.stderr)) {
    return { state: 'damaged', errors: resticErrors(result.stderr) };
  }
  return { state: 'failed', error: resticFailure(result, repository).message };
}

/** Each error restic reported, with its indented continuation lines joined on ("error for tree ad6081db: ReadFull(…)"). */
export function resticErrors(stderr: string): string[] {
  const errors: string[] = [];
  for (const line of stderr.split('\n')) {
    if (line.trim() === '' || RETRY.test(line) || line.startsWith('Fatal: repository contains errors')) continue;
    if (/^\s/.test(line) && errors.length > 0) errors[errors.length - 1] = `${errors[errors.length - 1]!.replace(/:$/, '')}: ${line.trim()}`;
    else errors.push(line.trim());
  }
  return errors.length > 0 ? errors : ['restic found errors but named none'];
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
