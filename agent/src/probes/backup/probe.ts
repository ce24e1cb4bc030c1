import type { BackupConfigOf, BackupTool } from '@nines/shared';
import type { ResultParams } from '@nines/shared';
import type { CheckContext, CheckOutcome } from '../../checks/check.ts';

/**
 * One backup tool. Each lives in ./<tool>/ as collect.ts (impure: runs the tool or reads files, through
 * the context tests can replace), parse.ts (pure: text → typed data) and evaluate.ts (pure: data + policy
 * + time → outcome). `check` ties them together and never throws for a failure it can name:
 * a missing tool or an unreadable repository is UNKNOWN with the reason, never OK.
 */
export interface BackupProbe<T extends BackupTool> {
  tool: T;
  check(config: BackupConfigOf<T>, ctx: CheckContext): Promise<CheckOutcome>;
}

/** A probe step that failed for a reason a person can act on. */
export class BackupProbeError extends Error {
  readonly status: 'UNKNOWN' | 'CRIT';
  /** The failure as a message code, when the probe has one (a refused connection); else the check codes it generically. */
  readonly coded?: { code: string; params: ResultParams };
  constructor(message: string, status: 'UNKNOWN' | 'CRIT' = 'UNKNOWN', options?: ErrorOptions & { coded?: { code: string; params: ResultParams } }) {
    super(message, options);
    this.name = 'BackupProbeError';
    this.status = status;
    if (options?.coded) this.coded = options.coded;
  }
}
