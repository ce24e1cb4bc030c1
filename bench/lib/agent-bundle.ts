/** Bundles an agent entry into one ES module with the options of agent/build.mjs, so no tsx runs in the measured process. */
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function bundleAgentEntry(entry: string, outfile: string): Promise<string> {
  const { version } = JSON.parse(readFileSync(join(root, 'agent', 'package.json'), 'utf8')) as { version: string };
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    define: { __NINES_AGENT_VERSION__: JSON.stringify(version) },
    external: ['bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire as __ninesCreateRequire } from 'node:module';\nconst require = __ninesCreateRequire(import.meta.url);" },
    logLevel: 'warning',
    write: false,
  }).then((result) => {
    // Pure ASCII as agent/build.mjs writes it: one non-ASCII character in a carried-over comment makes V8 hold the
    // whole source two bytes a character (3.3 instead of 1.7 MB of heap), which the shipped agent does not pay.
    for (const file of result.outputFiles) writeFileSync(file.path, file.text.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`));
  });
  return outfile;
}
