/**
 * The consultant's `pattern` run over the collected messages off the agent's main thread, with a time budget.
 *
 * A user-written regular expression can backtrack catastrophically ("(a+)+$" over a long "aaaa…b" takes longer
 * than the age of the universe), and V8 cannot interrupt a match on its own thread: a bad pattern would freeze
 * every check, the spool and the connection. Rejecting nested quantifiers when the config is read was the other
 * way; it was not taken because no such rule is complete ("(a|aa)+$", "(\w+\s?)+$" have no nested quantifier
 * yet blow up) and it refuses patterns that are fine. A worker with a deadline bounds any pattern over any
 * message: Worker.terminate() stops a running match, and the check says UNKNOWN with the reason.
 */
import { Worker } from 'node:worker_threads';

export const PATTERN_BUDGET_MS = 2_000; // 5,000 messages under a sane pattern take milliseconds; seconds mean backtracking

/** Inline, not a file: the agent ships as one bundled file and as single executables, with no worker file beside it. */
const MATCHER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const re = new RegExp(workerData.pattern, 'i');
parentPort.postMessage(workerData.messages.map((m) => re.test(m)));
`;

export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

/**
 * The distinct messages among `messages` that `pattern` (case-insensitive) matches. Rejects with a PatternError
 * when the pattern is invalid or the matching exceeds `budgetMs`; on `signal` the worker is stopped too.
 */
export async function matchingMessages(pattern: string, messages: readonly string[], { budgetMs = PATTERN_BUDGET_MS, signal }: { budgetMs?: number; signal?: AbortSignal } = {}): Promise<Set<string>> {
  try {
    new RegExp(pattern, 'i');
  } catch (error) {
    throw new PatternError(`pattern: ${(error as Error).message}`);
  }
  const distinct = [...new Set(messages)]; // journals repeat the same line: each is tried once
  if (distinct.length === 0) return new Set();
  const worker = new Worker(MATCHER_SOURCE, { eval: true, workerData: { pattern, messages: distinct }, resourceLimits: { maxOldGenerationSizeMb: 128 } });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const flags = await new Promise<boolean[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', (error) => reject(new PatternError(`pattern: ${error.message}`)));
      worker.once('exit', (code) => reject(new PatternError(`pattern: the matcher stopped (exit ${code})`)));
      timer = setTimeout(
        () => reject(new PatternError(`pattern /${pattern}/ took longer than ${budgetMs} ms over ${distinct.length} messages (catastrophic backtracking: simplify it, e.g. no nested quantifiers like (a+)+)`)),
        budgetMs,
      );
      onAbort = () => reject(new PatternError('pattern: the check was stopped'));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return new Set(distinct.filter((_, i) => flags[i]));
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    await worker.terminate(); // stops a match still running; a no-op after the answer
  }
}
