/** Bundles an agent entry into one ES module with the options of agent/build.mjs, so no tsx runs in the measured process. */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
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
  });
  return outfile;
}
