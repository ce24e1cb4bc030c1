import { HelloSchema, ResultsSchema, GapSchema, compileValidator, CloseCode, type AgentMessage } from '@nines/shared';

const validators = {
  hello: compileValidator(HelloSchema),
  results: compileValidator(ResultsSchema),
  gap: compileValidator(GapSchema),
} as const;

export type FrameVerdict =
  | { ok: true; message: AgentMessage }
  | { ok: false; closeCode: number; reason: string; seq?: number };

/** Parses and validates one agent frame; never throws. Compiled checkers: this runs on every frame. */
export function parseAgentFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): FrameVerdict {
  if (isBinary) return { ok: false, closeCode: CloseCode.UNSUPPORTED_DATA, reason: 'binary frames are not accepted' };
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, closeCode: CloseCode.MALFORMED, reason: `not JSON: ${(error as Error).message}` };
  }
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !(type in validators)) {
    return { ok: false, closeCode: CloseCode.MALFORMED, reason: `unknown message type ${JSON.stringify(type)}` };
  }
  const validator = validators[type as keyof typeof validators];
  if (!validator.check(value)) {
    const errors = validator.errors(value, 3);
    const reason = `invalid ${type}: ${errors.join('; ')}`;
    // A results frame that fails validation fails it every time it is replayed: a permanent refusal naming the
    // result, so the agent turns it into a gap instead of retrying it forever (its stream would be wedged).
    // A frame wrong as a whole (e.g. over maxBatch) is an agent bug, not a poison result: not refused for good.
    const seq = type === 'results' ? refusedSeq(value, errors[0]) : undefined;
    if (seq !== undefined) return { ok: false, closeCode: CloseCode.REFUSED, reason, seq };
    return { ok: false, closeCode: CloseCode.MALFORMED, reason };
  }
  return { ok: true, message: value as AgentMessage };
}

/** The seq of the result an error path like "/batch/3/details: ..." points at, if it has one. */
function refusedSeq(value: unknown, error: string | undefined): number | undefined {
  const index = /^\/batch\/(\d+)\//.exec(error ?? '')?.[1];
  const seq = index === undefined ? undefined : (value as { batch?: Array<{ seq?: unknown }> }).batch?.[Number(index)]?.seq;
  return Number.isInteger(seq) && (seq as number) >= 1 ? (seq as number) : undefined;
}
