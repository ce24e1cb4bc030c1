// Builds the shipped agent: one ES module, dist/nines-agent.mjs, that needs only Node.js (>= 20.18).
// Every dependency is bundled; nothing is read from node_modules or package.json at run time.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// `node build.mjs [OUTFILE]`: tests build into a temp dir so they never race over dist/.
const outfile = resolve(process.argv[2] ?? join(here, 'dist', 'nines-agent.mjs'));
const out = dirname(outfile);
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

if (!process.argv[2]) rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  stdin: {
    // The same entry as bin/nines-agent.mjs, without tsx.
    contents: `import { main } from './src/cli.ts';\nprocess.exitCode = await main(process.argv.slice(2));\n`,
    resolveDir: here,
    sourcefile: 'nines-agent-entry.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  define: { __NINES_AGENT_VERSION__: JSON.stringify(version), __NINES_AGENT_BUNDLED__: 'true' },
  // ws loads these optional native speed-ups inside try/catch and falls back to plain JS without them.
  external: ['bufferutil', 'utf-8-validate'],
  banner: {
    // CommonJS dependencies (pino, ws) call require() for Node built-ins; an ES module has no require of its own.
    js: [
      '#!/usr/bin/env node',
      `// nines-agent ${version}: bundled from agent/src by agent/build.mjs. Needs Node.js >= 20.18.`,
      "import { createRequire as __ninesCreateRequire } from 'node:module';",
      'const require = __ninesCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  legalComments: 'eof',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
process.stdout.write(`built ${outfile} (nines-agent ${version})\n`);
