import type { CheckContext } from '../checks/check.ts';
import { describeExecFailure } from './patch/detect.ts';

/** journalctl could not give entries, for a reason a person can act on. */
export class JournalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalError';
  }
}

/**
 * `journalctl -o json` with the given filters, one JSON object per line. First one entry of any kind:
 * journalctl exits 0 with no output when it has no journal files or may not read them, which must not read
 * as "nothing happened".
 */
export async function journalJson(ctx: Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs'>, directory: string | undefined, filters: string[]): Promise<string> {
  // --all: without it journalctl writes a field over 4,096 bytes as null, and a long message (a stack trace, a
  // job's summary) would be invisible to a pattern
  const base = ['--no-pager', '--all', '-o', 'json', ...(directory ? ['-D', directory] : [])];
  const run = async (args: string[]) => {
    const result = await ctx.exec('journalctl', args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    if (result.code !== 0) throw new JournalError(`journalctl: ${describeExecFailure(result)}`);
    return result;
  };
  const probe = await run([...base, '-n', '1']);
  if (!probe.stdout.trim()) {
    const said = probe.stderr.trim().split('\n')[0];
    throw new JournalError(`the journal is empty or cannot be read${said ? `: ${said}` : ''} (the agent needs root or the systemd-journal group)`);
  }
  return (await run([...base, ...filters])).stdout;
}
