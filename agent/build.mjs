// Builds the shipped agent.
//   node build.mjs [OUTFILE]               one ES module, dist/nines-agent.mjs, that needs only Node.js (>= 20.18)
//   node build.mjs --standalone [OUTFILE]  a standalone executable for this OS and CPU, dist/nines-agent(.exe):
//                                          Node's single-executable application (SEA) with the agent inside
// Every dependency is bundled; nothing is read from node_modules or package.json at run time.
// `npm run build` runs the first form. Tests pass OUTFILE so they never race over dist/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const standalone = args.includes('--standalone');
const target = args.find((a) => !a.startsWith('--'));
const defaultName = standalone ? `nines-agent${process.platform === 'win32' ? '.exe' : ''}` : 'nines-agent.mjs';
const outfile = resolve(target ?? join(here, 'dist', defaultName));
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  define: { __NINES_AGENT_VERSION__: JSON.stringify(version), __NINES_AGENT_BUNDLED__: 'true' },
  legalComments: 'eof',
  logLevel: 'warning',
};

if (!target && !standalone) rmSync(dirname(outfile), { recursive: true, force: true });
mkdirSync(dirname(outfile), { recursive: true });
if (standalone) await buildStandalone();
else await buildModule();
chmodSync(outfile, 0o755);
process.stdout.write(`built ${outfile} (nines-agent ${version}${standalone ? `, standalone for ${process.platform}-${process.arch}` : ''})\n`);

async function buildModule() {
  await build({
    ...common,
    stdin: {
      // The same entry as bin/nines-agent.mjs, without tsx.
      contents: `import { main } from './src/cli.ts';\nprocess.exitCode = await main(process.argv.slice(2));\n`,
      resolveDir: here,
      sourcefile: 'nines-agent-entry.ts',
      loader: 'ts',
    },
    format: 'esm',
    outfile,
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
  });
}

/**
 * Node 20's single-executable recipe (nodejs.org/api/single-executable-applications.html): a CommonJS
 * script becomes a blob, the blob is injected into a copy of this node binary with postject. The result
 * runs on machines of the same OS and CPU without Node.js installed.
 */
async function buildStandalone() {
  const work = mkdtempSync(join(tmpdir(), 'nines-sea-'));
  try {
    const script = join(work, 'nines-agent.cjs');
    await build({
      ...common,
      stdin: {
        contents: `import { main } from './src/cli.ts';\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`,
        resolveDir: here,
        sourcefile: 'nines-agent-sea-entry.ts',
        loader: 'ts',
      },
      format: 'cjs',
      outfile: script,
      // import.meta only serves the development branch of version.ts, which the define above bypasses.
      define: { ...common.define, __NINES_AGENT_STANDALONE__: 'true', 'import.meta.url': 'undefined' },
      // Inside a SEA, require() reaches only built-ins; ws's optional add-ons become modules that are "not installed".
      plugins: [absentModules(['bufferutil', 'utf-8-validate'])],
    });
    const blob = join(work, 'sea-prep.blob');
    writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true }));
    execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'ignore' });
    rmSync(outfile, { force: true });
    copyFileSync(process.execPath, outfile);
    chmodSync(outfile, 0o755);
    if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', outfile]);
    const { inject } = await import('postject');
    await inject(outfile, 'NODE_SEA_BLOB', readFileSync(blob), {
      sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
      ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
    });
    // macOS refuses to run an unsigned binary on Apple silicon: an ad-hoc signature is enough locally.
    if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', outfile]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function absentModules(names) {
  return {
    name: 'absent-modules',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (a) => ({ path: a.path, namespace: 'absent' }));
      b.onLoad({ filter: /.*/, namespace: 'absent' }, (a) => ({
        contents: `throw Object.assign(new Error("${a.path} is not part of the standalone agent"), { code: "MODULE_NOT_FOUND" });`,
        loader: 'js',
      }));
    },
  };
}
