import { HelloSchema, ResultsSchema, GapSchema, compileValidator, CloseCode, type AgentMessage } from '@nines/shared';

const validators = {
  hello: compileValidator(HelloSchema),
  results: compileValidator(ResultsSchema),
  gap: compileValidator(GapSchema),
} as const;

export type FrameVerdict =
  | { ok: true; message: AgentMessage }
  | { ok: false; closeCode: number; reason: string };

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
    return { ok: false, closeCode: CloseCode.MALFORMED, reason: `invalid ${type}: ${validator.errors(value, 3).join('; ')}` };
  }
  return { ok: true, message: value as AgentMessage };
}
