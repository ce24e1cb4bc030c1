import { LIMITS, parseDuration, DEFAULT_TIMEOUT_MS, type CheckConfig, type Clock, type UnsequencedResult } from '@nines/shared';
import type { Logger } from 'pino';
import { checkDefinition } from './checks/index.ts';
import { errorMessage, type CheckOutcome } from './checks/check.ts';
import type { ExecFn } from './exec.ts';

export interface RunnerDeps {
  clock: Clock;
  exec: ExecFn;
  log: Logger;
  stateDir: string;
}

const HARD_DEADLINE_GRACE_MS = 2_000; // a check gets this long after its own timeout to report before we give up on it

/**
 * Runs one check to a result, whatever happens: a check that throws, hangs or returns garbage
 * becomes UNKNOWN with the reason; nothing escapes to kill the agent.
 */
export async function runCheck(config: CheckConfig, deps: RunnerDeps): Promise<UnsequencedResult> {
  const timeoutMs = config.timeout === undefined ? (checkDefinition(config.kind).defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS) : parseDuration(config.timeout);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  let deadline: NodeJS.Timeout | undefined;
  const startedAt = deps.clock();
  let outcome: CheckOutcome;
  try {
    const definition = checkDefinition(config.kind);
    const run = definition.run(config as never, {
      clock: deps.clock,
      signal: controller.signal,
      timeoutMs,
      exec: deps.exec,
      log: deps.log.child({ check: config.id }),
      stateDir: deps.stateDir,
    });
    const giveUp = new Promise<CheckOutcome>((resolve) => {
      deadline = setTimeout(
        () => resolve({ status: 'UNKNOWN', message: `check did not finish within ${timeoutMs} ms` }),
        timeoutMs + HARD_DEADLINE_GRACE_MS,
      );
    });
    outcome = await Promise.race([run, giveUp]);
  } catch (error) {
    deps.log.warn({ check: config.id, err: error }, 'check threw');
    outcome = { status: 'UNKNOWN', message: `check failed: ${errorMessage(error)}` };
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
  }
  return toResult(config, outcome, startedAt, deps.clock());
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
  };
  if (config.name !== undefined) result.name = config.name;
  if (outcome.details !== undefined) result.details = outcome.details;
  return result;
}
