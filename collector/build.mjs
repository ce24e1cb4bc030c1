// Builds the shipped collector: no TypeScript loader at run time.
//   node collector/build.mjs [OUTDIR]    (default collector/dist; `npm run build` and `npm start` run it)
// writes into OUTDIR
//   nines-collector.mjs    one ES module: the collector and every JavaScript dependency (fastify, pino, pdfkit,
//                          better-sqlite3's JavaScript, …), run with `node OUTDIR/nines-collector.mjs <command>`
//   better_sqlite3.node    better-sqlite3's native addon, built by `npm ci` for the Node.js that ran it: the
//                          bundle runs on that Node.js major only (the Docker image builds and runs on one)
//   migrations/*.sql       the schema migrations, read at start
//   postgres-migrations/*.sql  PostgreSQL's own schema migrations, read at start with a database URL
//   data/                  pdfkit's font metrics (Helvetica.afm, …) and sRGB profile, read when a PDF is made
// OUTDIR must sit two levels below the root that holds dashboard/dist and agent/dist (collector/dist does):
// collector/src/layout.ts finds them from the bundle's own URL. Tests pass OUTDIR so they never race over dist/.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const target = process.argv.slice(2).find((a) => !a.startsWith('--'));
const outdir = resolve(target ?? join(here, 'dist'));
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, 'nines-collector.mjs');

const result = await build({
  write: false, // written below, pure ASCII
  stdin: {
    // The same entry as bin/nines-collector.mjs, without tsx.
    contents: `import { main } from './src/cli.ts';\nprocess.exitCode = await main(process.argv.slice(2));\n`,
    resolveDir: here,
    sourcefile: 'nines-collector-entry.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outfile,
  define: { __NINES_COLLECTOR_VERSION__: JSON.stringify(version), __NINES_COLLECTOR_BUNDLED__: 'true' },
  // ws loads these optional native speed-ups inside try/catch and falls back to plain JS without them.
  external: ['bufferutil', 'utf-8-validate'],
  banner: {
    js: [
      '#!/usr/bin/env node',
      `// nines-collector ${version}: bundled from collector/src by collector/build.mjs.`,
      // CommonJS dependencies call require() (built-ins, better-sqlite3's addon by path); an ES module has none of its own.
      "import { createRequire as __ninesCreateRequire } from 'node:module';",
      "import { fileURLToPath as __ninesFileURLToPath } from 'node:url';",
      'const require = __ninesCreateRequire(import.meta.url);',
      // pdfkit reads its font metrics from __dirname + '/data/…': here that is the bundle's directory, where data/ is copied.
      'const __filename = __ninesFileURLToPath(import.meta.url);',
      "const __dirname = __ninesFileURLToPath(new URL('.', import.meta.url)).replace(/\\/$/, '');",
    ].join('\n'),
  },
  legalComments: 'eof',
  logLevel: 'warning',
});
for (const file of result.outputFiles) writeFileSync(file.path, asciiOnly(file.text));
chmodSync(outfile, 0o755);

copyFileSync(join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node'), join(outdir, 'better_sqlite3.node'));
const migrations = join(here, 'src', 'store', 'sqlite', 'migrations');
mkdirSync(join(outdir, 'migrations'));
for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql'))) copyFileSync(join(migrations, file), join(outdir, 'migrations', file));
const postgresMigrations = join(here, 'src', 'store', 'postgres', 'migrations');
mkdirSync(join(outdir, 'postgres-migrations'));
for (const file of readdirSync(postgresMigrations).filter((f) => f.endsWith('.sql'))) {
  copyFileSync(join(postgresMigrations, file), join(outdir, 'postgres-migrations', file));
}
cpSync(join(dirname(require.resolve('pdfkit/package.json')), 'js', 'data'), join(outdir, 'data'), { recursive: true });

process.stdout.write(`built ${outfile} (nines-collector ${version}, for Node.js ${process.versions.node.split('.')[0]}: better_sqlite3.node ABI ${process.versions.modules})\n`);

/**
 * The bundle made pure ASCII. esbuild escapes non-ASCII characters in strings and names but keeps those of the comments
 * it carries over and of regular expression literals (reports' `/ß/g`); a single one makes V8 hold the whole source
 * (6.6 M characters, kept for the life of the process: functions compile lazily from it) as a two-byte string, 13 MB of
 * heap instead of 6.6 (issue 18: the collector's large-object space 16.2 → 9.9 MiB idle). `\uXXXX` (UTF-16 units) means
 * the same character in a string, a template, a regular expression with or without the u flag and an identifier, and
 * is plain text in a comment. (The agent's build writes `\u{…}`, which a regular expression without the u flag reads
 * differently; the agent's sources have no such literal.)
 */
function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/gu, (c) => {
    let escaped = '';
    for (let i = 0; i < c.length; i++) escaped += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}
