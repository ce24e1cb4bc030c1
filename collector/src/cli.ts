import { serveCommand, serveHelp } from './commands/serve.ts';
import { demoCommand, demoHelp } from './commands/demo.ts';
import { statusCommand, statusHelp } from './commands/status.ts';
import { enrollTokenCommand, enrollTokenHelp } from './commands/enroll-token.ts';
import { UsageError } from './commands/common.ts';
import { VERSION } from './version.ts';

/** Subcommands, one line each: name → [run, help]. */
export const commands: Record<string, [(argv: string[]) => Promise<number>, string]> = {
  serve: [serveCommand, serveHelp],
  demo: [demoCommand, demoHelp],
  status: [statusCommand, statusHelp],
  'enroll-token': [enrollTokenCommand, enrollTokenHelp],
};

export function helpText(): string {
  return `nines-collector ${VERSION}: stores agent results, computes availability, alerts, serves the dashboard.

Usage: nines-collector <command> [options]

${Object.values(commands).map(([, help]) => help).join('\n\n')}
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`nines-collector: unknown command "${name}"; see nines-collector --help\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command[1] + '\n');
    return 0;
  }
  try {
    return await command[0](rest);
  } catch (error) {
    const usage = error instanceof UsageError || /^ERR_PARSE_ARGS/.test((error as { code?: string }).code ?? '');
    process.stderr.write(`nines-collector ${name}: ${(error as Error).message}\n`);
    return usage ? 2 : 1;
  }
}
