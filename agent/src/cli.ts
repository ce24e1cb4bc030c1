import { CHECK_KINDS, checkSchemas } from '@nines/shared';
import { enrollCommand, enrollHelp } from './commands/enroll.ts';
import { runCommand, runHelp } from './commands/run.ts';
import { checkCommand, checkHelp } from './commands/check.ts';
import { statusCommand, statusHelp } from './commands/status.ts';
import { UsageError } from './commands/common.ts';
import { AGENT_VERSION } from './version.ts';

/** Subcommands, one line each: name → [run, help]. */
export const commands: Record<string, [(argv: string[]) => Promise<number>, string]> = {
  enroll: [enrollCommand, enrollHelp],
  run: [runCommand, runHelp],
  check: [checkCommand, checkHelp],
  status: [statusCommand, statusHelp],
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

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`nines-agent: unknown command "${name}"; see nines-agent --help\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command[1] + '\n');
    return 0;
  }
  try {
    return await command[0](rest);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    process.stderr.write(`nines-agent ${name}: ${(error as Error).message}\n`);
    return usage ? 2 : 1;
  }
}

