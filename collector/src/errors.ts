/** The collector's error catalogue: tests and clients match on `code`, never on message text. */
export interface NinesErrorSpec {
  code: string;
  statusCode: number;
  message: string;
}

function spec(code: string, statusCode: number, message: string): NinesErrorSpec {
  return { code, statusCode, message };
}

export const Errors = {
  BAD_REQUEST: spec('NINES_ERR_BAD_REQUEST', 400, 'the request is not valid'),
  UNAUTHORIZED: spec('NINES_ERR_UNAUTHORIZED', 401, 'authentication required'),
  BAD_LOGIN: spec('NINES_ERR_BAD_LOGIN', 401, 'wrong username or password'),
  FORBIDDEN: spec('NINES_ERR_FORBIDDEN', 403, 'not allowed for this account'),
  NOT_FOUND: spec('NINES_ERR_NOT_FOUND', 404, 'no such resource'),
  TOKEN_UNKNOWN: spec('NINES_ERR_TOKEN_UNKNOWN', 401, 'the enrollment token is not valid'),
  TOKEN_USED: spec('NINES_ERR_TOKEN_USED', 409, 'the enrollment token was already used'),
  TOKEN_EXPIRED: spec('NINES_ERR_TOKEN_EXPIRED', 410, 'the enrollment token has expired'),
  AGENT_AUTH: spec('NINES_ERR_AGENT_AUTH', 401, 'agent credentials missing or wrong'),
  AGENT_REVOKED: spec('NINES_ERR_AGENT_REVOKED', 403, 'this agent has been revoked'),
  FRAME_MALFORMED: spec('NINES_ERR_FRAME_MALFORMED', 4400, 'frame is not a valid message'),
  FRAME_TOO_BIG: spec('NINES_ERR_FRAME_TOO_BIG', 1009, 'frame exceeds the size limit'),
  FRAME_OUT_OF_ORDER: spec('NINES_ERR_FRAME_OUT_OF_ORDER', 4409, 'message not allowed in this state'),
  RESULT_FROM_FUTURE: spec('NINES_ERR_RESULT_FROM_FUTURE', 4400, 'result timestamps lie in the future'),
  CSRF: spec('NINES_ERR_CSRF', 403, 'missing or wrong CSRF header (x-nines-csrf) on a cookie-authenticated change'),
  LOGIN_RATE_LIMITED: spec('NINES_ERR_LOGIN_RATE_LIMITED', 429, 'too many login attempts; wait a minute'),
  CONFLICT: spec('NINES_ERR_CONFLICT', 409, 'the resource already exists'),
  INVALID_CHECK: spec('NINES_ERR_INVALID_CHECK', 400, 'the check configuration is not valid'),
  ENROLL_RATE_LIMITED: spec('NINES_ERR_ENROLL_RATE_LIMITED', 429, 'too many enrollment attempts from this address; wait a minute'),
  FRAME_RATE_LIMITED: spec('NINES_ERR_FRAME_RATE_LIMITED', 1008, 'over the connection\'s frame budget (2 MiB a second, burst 5 MiB, each frame counted as its size + 8 KiB)'),
  RESULT_REFUSED: spec('NINES_ERR_RESULT_REFUSED', 4422, 'a result the collector will never accept (too deep, too big or implausible times)'),
  CHANNEL_FAILED: spec('NINES_ERR_CHANNEL_FAILED', 502, 'the notification channel refused the message or could not be reached'),
  AGENT_OVER_QUOTA: spec('NINES_ERR_AGENT_OVER_QUOTA', 4429, 'the agent is over its quota of checks, results or bytes a minute'),
} as const;

export type ErrorName = keyof typeof Errors;

export class NinesError extends Error {
  readonly code: string;
  readonly statusCode: number;
  constructor(name: ErrorName, detail?: string, options?: { cause?: unknown }) {
    const s = Errors[name];
    super(detail ? `${s.message}: ${detail}` : s.message, options);
    this.code = s.code;
    this.statusCode = s.statusCode;
  }
}
