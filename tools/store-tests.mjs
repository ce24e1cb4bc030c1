#!/usr/bin/env node
/**
 * Lists the test files whose stores follow the suite's store kind: those that reach
 * collector/test/helpers/test-store.ts through their relative imports (startCollector, openTestStore,
 * bothStores, …). `npm run test:postgres` runs exactly these with NINES_TEST_STORE=postgres; a test file that
 * never opens a store that way would only repeat its SQLite run.
 * Usage: node tools/store-tests.mjs [--exclude-both]  (prints one path per line, relative to the repository)
 *   --exclude-both  leaves out files that choose their store kinds themselves (bothStores, postgresTestDatabase): the plain run covers them.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = resolve(root, 'collector/test/helpers/test-store.ts');
const TEST_DIRS = ['shared/test', 'agent/test', 'collector/test', 'dashboard/test', 'e2e', 'bench/test', 'tools/test'];

function* files(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'fixtures') yield* files(path);
    } else if (name.endsWith('.test.ts')) yield path;
  }
}

/** Relative imports of a TypeScript file, resolved to absolute paths (static `import … from` and `import('…')`). */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) found.push(resolve(dirname(file), match[1]));
  return found;
}

const memo = new Map();
function reaches(file, seen = new Set()) {
  if (file === TARGET) return true;
  if (memo.has(file)) return memo.get(file);
  if (seen.has(file) || !file.endsWith('.ts')) return false;
  seen.add(file);
  let result = false;
  try {
    result = importsOf(file).some((next) => reaches(next, seen));
  } catch {
    result = false;
  }
  memo.set(file, result);
  return result;
}

const excludeBoth = process.argv.includes('--exclude-both');
for (const dir of TEST_DIRS) {
  for (const file of files(join(root, dir))) {
    if (!reaches(file)) continue;
    if (excludeBoth && /\bbothStores\(|\bpostgresTestDatabase\(/.test(readFileSync(file, 'utf8'))) continue;
    process.stdout.write(relative(root, file) + '\n');
  }
}
