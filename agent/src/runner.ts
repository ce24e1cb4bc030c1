import { LIMITS, parseDuration, DEFAULT_TIMEOUT_MS, type CheckConfig, type Clock, type UnsequencedResult } from '@nines/shared';
import type { Logger } from 'pino';
import { checkDefinition } from './checks/index.ts';
import { effectiveInterval } from './interval.ts';
import { errorMessage, type CheckContext, type CheckOutcome } from './checks/check.ts';
import type { ExecFn } from './exec.ts';

export interface RunnerDeps {
  clock: Clock;
  exec: ExecFn;
  log: Logger;
  stateDir: string;
  /** Why this check may not run on this machine (see program-policy.ts), or undefined: it runs. */
  refusal?: (config: CheckConfig) => string | undefined;
}

const HARD_DEADLINE_GRACE_MS = 2_000; // a check gets this long after its own timeout to report before we give up on it

/**
 * Runs one check to a result, whatever happens: a check that throws, hangs or returns garbage
 * becomes UNKNOWN with the reason; nothing escapes to kill the agent.
 */
export async function runCheck(config: CheckConfig, deps: RunnerDeps): Promise<UnsequencedResult> {
  const refused = deps.refusal?.(config);
  if (refused !== undefined) {
    const now = deps.clock();
    return toResult(config, { status: 'UNKNOWN', message: refused }, now, now);
  }
  const timeoutMs = config.timeout === undefined ? (checkDefinition(config.kind).defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS) : parseDuration(config.timeout);
  const controller = new AbortController();
  let giveUp: ((outcome: CheckOutcome) => void) | undefined;
  let deadline: NodeJS.Timeout | undefined;
  // One timer per run, not two: the grace timer is only armed once the timeout has fired, which almost no run reaches.
  const timer = setTimeout(() => {
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    deadline = setTimeout(() => giveUp?.({ status: 'UNKNOWN', message: `check did not finish within ${timeoutMs} ms` }), HARD_DEADLINE_GRACE_MS);
  }, timeoutMs);
  const startedAt = deps.clock();
  let outcome: CheckOutcome;
  try {
    const definition = checkDefinition(config.kind);
    const run = definition.run(config as never, checkContext(config, deps, controller.signal, timeoutMs));
    outcome = await new Promise<CheckOutcome>((resolve, reject) => {
      giveUp = resolve;
      run.then(resolve, reject);
    });
  } catch (error) {
    deps.log.warn({ check: config.id, err: error }, 'check threw');
    outcome = { status: 'UNKNOWN', message: `check failed: ${errorMessage(error)}` };
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
  }
  return toResult(config, outcome, startedAt, deps.clock());
}

/** The check's view of the world; its child logger is made when the check first logs (most runs never do). */
function checkContext(config: CheckConfig, deps: RunnerDeps, signal: AbortSignal, timeoutMs: number): CheckContext {
  let log: Logger | undefined;
  return {
    clock: deps.clock,
    signal,
    timeoutMs,
    exec: deps.exec,
    get log() {
      return (log ??= deps.log.child({ check: config.id }));
    },
    stateDir: deps.stateDir,
  };
}

function toResult(config: CheckConfig, outcome: CheckOutcome, startedAt: number, finishedAt: number): UnsequencedResult {
  const message = outcome.message.length > LIMITS.maxMessageChars ? outcome.message.slice(0, LIMITS.maxMessageChars - 1) + '…' : outcome.message;
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(outcome.metrics ?? {})) if (Number.isFinite(value)) metrics[key] = value;
  const result: UnsequencedResult = {
    checkId: config.id,
    kind: config.kind,
    status: outcome.status,
    message,
    metrics,
    startedAt,
    finishedAt: Math.max(finishedAt, startedAt),
    // The collector needs the interval the result was made at: it bounds how long the result counts (2 × interval).
    intervalMs: effectiveInterval(config),
  };
  if (config.name !== undefined) result.name = config.name;
  if (outcome.details !== undefined) result.details = outcome.details;
  return result;
}
