/**
 * The agent bundled as agent/build.mjs bundles it (same entry, same options), but with a version of the test's
 * choosing: the "new build" an upgrade installs must say hello with a version the old one does not have.
 * Written to a temp file, never to agent/dist/.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function buildAgentBundle(outfile: string, version: string): Promise<void> {
  await build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    define: { __NINES_AGENT_VERSION__: JSON.stringify(version), __NINES_AGENT_BUNDLED__: 'true' },
    logLevel: 'warning',
    stdin: {
      contents: `import { main } from './src/cli.ts';\nprocess.exitCode = await main(process.argv.slice(2));\n`,
      resolveDir: agentDir,
      sourcefile: 'nines-agent-entry.ts',
      loader: 'ts',
    },
    format: 'esm',
    outfile,
    external: ['bufferutil', 'utf-8-validate'],
    banner: {
      js: [
        '#!/usr/bin/env node',
        "import { createRequire as __ninesCreateRequire } from 'node:module';",
        'const require = __ninesCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
}

/** The next patch version: the "newer build" of the scenario, derived from the agent's own version. */
export function nextPatch(version: string): string {
  const [major, minor, patch] = version.split('-')[0]!.split('.').map(Number);
  return `${major}.${minor}.${patch! + 1}`;
}
