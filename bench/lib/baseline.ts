/**
 * The same scenarios on an earlier revision, in the same run: `npm run bench -- ingest api --against <ref>`.
 * The revision is checked out as a detached git worktree in a temporary directory; its node_modules is a
 * farm of links to this checkout's packages (the lockfile's native builds), except the workspace packages,
 * which point at the worktree's own sources. Fair only while the lockfile is the same: we refuse otherwise.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Baseline {
  /** The revision as given, and the commit it names. */
  ref: string;
  commit: string;
  /** Root of the checked-out revision. */
  root: string;
  remove(): void;
}

const WORKSPACES = ['shared', 'agent', 'collector', 'dashboard'];

export function checkoutBaseline(repoRoot: string, ref: string): Baseline {
  const git = (...args: string[]) => execFileSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  let commit: string;
  try {
    commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  } catch {
    throw new Error(`--against ${ref}: not a revision of this repository`);
  }
  const lockThen = git('show', `${commit}:package-lock.json`);
  if (lockThen !== readFileSync(join(repoRoot, 'package-lock.json'), 'utf8').trim()) {
    throw new Error(`--against ${ref}: its package-lock.json differs from this checkout's; the same dependencies are needed for a fair comparison`);
  }
  const parent = mkdtempSync(join(tmpdir(), 'nines-baseline-'));
  const root = join(parent, 'tree');
  git('worktree', 'add', '--detach', root, commit);
  linkModules(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  return {
    ref,
    commit,
    root,
    remove() {
      try {
        git('worktree', 'remove', '--force', root);
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    },
  };
}

function linkModules(from: string, to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(from)) {
    if (entry === '@nines') continue;
    symlinkSync(join(from, entry), join(to, entry));
  }
  mkdirSync(join(to, '@nines'));
  for (const name of WORKSPACES) {
    if (existsSync(join(to, '..', name))) symlinkSync(join('..', '..', name), join(to, '@nines', name));
  }
}
