/** The command dispatch both CLIs share: `<tool> <command> [options]`, --help per command, exit codes. */
export type Command = [run: (argv: string[]) => Promise<number>, help: string];

/** A wrong invocation: printed without a stack, exit code 2. */
export class UsageError extends Error {
  readonly code = 'NINES_ERR_USAGE';
}

export interface CliOptions {
  tool: string;
  version: string;
  commands: Record<string, Command>;
  helpText: () => string;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

/** Runs one invocation and returns the exit code: 0 ok, 1 failed, 2 usage. */
export async function runCli(argv: string[], options: CliOptions): Promise<number> {
  const out = options.out ?? ((s: string) => void process.stdout.write(s));
  const err = options.err ?? ((s: string) => void process.stderr.write(s));
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(options.helpText());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    out(`${options.version}\n`);
    return 0;
  }
  const command = options.commands[name];
  if (!command) {
    err(`${options.tool}: unknown command "${name}"; see ${options.tool} --help\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(command[1] + '\n');
    return 0;
  }
  try {
    return await command[0](rest);
  } catch (error) {
    const usage = error instanceof UsageError || /^ERR_PARSE_ARGS/.test((error as { code?: string }).code ?? '');
    err(`${options.tool} ${name}: ${(error as Error).message}\n`);
    return usage ? 2 : 1;
  }
}
