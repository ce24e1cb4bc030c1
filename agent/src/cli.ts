import { CHECK_KINDS, checkSchemas } from '@nines/shared';
import { runCli, type Command } from '@nines/shared/cli';
import { enrollCommand, enrollHelp } from './commands/enroll.ts';
import { runCommand, runHelp } from './commands/run.ts';
import { checkCommand, checkHelp } from './commands/check.ts';
import { statusCommand, statusHelp } from './commands/status.ts';
import { installCommand, installHelp } from './commands/install.ts';
import { uninstallCommand, uninstallHelp } from './commands/uninstall.ts';
import { upgradeCommand, upgradeHelp } from './commands/upgrade.ts';
import { AGENT_VERSION } from './version.ts';
import { tuneEngine } from './engine.ts';

/** Subcommands, one line each: name → [run, help]. */
export const commands: Record<string, Command> = {
  enroll: [enrollCommand, enrollHelp],
  run: [runCommand, runHelp],
  check: [checkCommand, checkHelp],
  status: [statusCommand, statusHelp],
  install: [installCommand, installHelp],
  uninstall: [uninstallCommand, uninstallHelp],
  upgrade: [upgradeCommand, upgradeHelp],
};

export function helpText(): string {
  const kinds = CHECK_KINDS.map((k) => `  ${k.padEnd(10)} ${checkSchemas[k].description ?? ''}`).join('\n');
  return `nines-agent ${AGENT_VERSION}: checks this machine and reports to a Nines collector.

Usage: nines-agent <command> [options]

${Object.values(commands).map(([, help]) => help).join('\n\n')}

Environment: NINES_AGENT_STATE_DIR (default /var/lib/nines-agent), NINES_LOG_LEVEL (default info).

Check kinds (config reference with an example each: docs/checks.md):
${kinds}
`;
}

export function main(argv: string[]): Promise<number> {
  tuneEngine();
  return runCli(argv, { tool: 'nines-agent', version: AGENT_VERSION, commands, helpText });
}
