import { LIMITS, parseDuration, DEFAULT_TIMEOUT_MS, coded, RESULT_CODE_PATTERN, RESULT_PARAM_KEY_PATTERN, RESULT_PARAMS_LIMITS, type CheckConfig, type ResultParams, type Clock, type UnsequencedResult } from '@nines/shared';
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
  agentId?: string;
  /** The programs this check names that this machine does not allow (see program-policy.ts); empty: it runs. */
  refusedPrograms?: (config: CheckConfig) => string[];
}

const HARD_DEADLINE_GRACE_MS = 2_000; // a check gets this long after its own timeout to report before we give up on it

/**
 * Runs one check to a result, whatever happens: a check that throws, hangs or returns garbage
 * becomes UNKNOWN with the reason; nothing escapes to kill the agent.
 */
export async function runCheck(config: CheckConfig, deps: RunnerDeps): Promise<UnsequencedResult> {
  const refused = deps.refusedPrograms?.(config) ?? [];
  if (refused.length > 0) {
    const now = deps.clock();
    return toResult(config, { status: 'UNKNOWN', ...coded('check.not_allowed', { programs: refused.join(', ') }) }, now, now);
  }
  const timeoutMs = config.timeout === undefined ? (checkDefinition(config.kind).defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS) : parseDuration(config.timeout);
  const controller = new AbortController();
  let giveUp: ((outcome: CheckOutcome) => void) | undefined;
  let deadline: NodeJS.Timeout | undefined;
  // One timer per run, not two: the grace timer is only armed once the timeout has fired, which almost no run reaches.
  const timer = setTimeout(() => {
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    deadline = setTimeout(() => giveUp?.({ status: 'UNKNOWN', ...coded('check.timeout', { timeoutMs }) }), HARD_DEADLINE_GRACE_MS);
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
    outcome = { status: 'UNKNOWN', ...coded('check.failed', { error: errorMessage(error) }) }; // toResult bounds the param
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
    ...(deps.agentId !== undefined && { agentId: deps.agentId }),
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
    // Always sent, [] too: the collector keeps a local check's labels from its results, so removing them must reach it.
    labels: config.labels ?? [],
  };
  if (config.name !== undefined) result.name = config.name;
  if (outcome.details !== undefined) result.details = outcome.details;
  if (outcome.code !== undefined) Object.assign(result, boundedCode(outcome.code, outcome.params));
  return result;
}

const CODE = new RegExp(RESULT_CODE_PATTERN);
const PARAM_KEY = new RegExp(RESULT_PARAM_KEY_PATTERN);

/**
 * A check's code and params as the wire schema bounds them, so one odd outcome cannot make its whole batch invalid:
 * a bad code is dropped (the message still says it all), bad keys and non-finite numbers too, long strings cut.
 */
function boundedCode(code: string, params: ResultParams | undefined): Pick<UnsequencedResult, 'code' | 'params'> {
  if (!CODE.test(code)) return {};
  const bounded: ResultParams = {};
  const usable = Object.entries(params ?? {}).filter(([key, value]) => PARAM_KEY.test(key) && (typeof value === 'string' || Number.isFinite(value)));
  for (const [key, value] of usable.slice(0, RESULT_PARAMS_LIMITS.maxKeys)) {
    bounded[key] = typeof value === 'string' && value.length > RESULT_PARAMS_LIMITS.maxStringChars ? value.slice(0, RESULT_PARAMS_LIMITS.maxStringChars - 1) + '…' : value;
  }
  return { code, params: bounded };
}
