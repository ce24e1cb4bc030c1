import type { ResultMessageCode, ResultMessageParams } from './codes.ts';

/** One text per code; a language missing a code is a type error. */
export type Renderers = { [C in ResultMessageCode]: (params: ResultMessageParams[C]) => string };

/** The codes of the security-posture kinds, rendered in ./security.<lang>.ts. */
export type SecurityCode = Extract<ResultMessageCode, `smart.${string}` | `firewall.${string}` | `logins.${string}` | `antivirus.${string}` | `encryption.${string}` | `admins.${string}` | `eventlog.${string}` | `integrity.${string}` | `churn.${string}`>;
export type SecurityRenderers = { [C in SecurityCode]: (params: ResultMessageParams[C]) => string };
