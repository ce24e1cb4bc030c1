import type { ExecResult } from '../../../exec.ts';
import { borgFailure, parseLogJson } from '../../backup/borg/parse.ts';
import type { IntegrityVerdict } from '../verdict.ts';

// "Finished cryptographic data integrity verification, verified 23 chunks with 0 integrity errors."
const VERIFIED = /verified (\d+) chunks with (\d+) integrity errors/;
// borg's summaries of what the lines before it said; the lines before are the findings
const SUMMARY = /^(Finished full repository check, errors found|Archive consistency check complete, problems found)/;

/**
 * The outcome of `borg --log-json check -v --verify-data --last 1`. borg 1.2 exits 0 with "no problems found",
 * 1 with each finding as an ERROR log line (damage), 2 when it could not check (lock, passphrase, no
 * repository): failed, with borg's reason.
 */
export function parseBorgCheck(result: ExecResult, repository: string, passphraseGiven: boolean): IntegrityVerdict {
  if (result.code !== 0 && result.code !== 1) return { state: 'failed', error: borgFailure(result, repository, passphraseGiven).message };
  const messages = parseLogJson(result.stderr);
  const problems = messages.filter((m) => (m.levelname === 'ERROR' || m.levelname === 'CRITICAL') && m.message);
  const verified = messages.map((m) => VERIFIED.exec(m.message ?? '')).find(Boolean);
  if (problems.length > 0 || (verified && Number(verified[2]) > 0)) {
    const findings = problems.map((m) => m.message!.trim()).filter((m) => !SUMMARY.test(m));
    return { state: 'damaged', errors: findings.length > 0 ? findings : problems.map((m) => m.message!.trim()) };
  }
  if (result.code === 1) {
    const warnings = messages.filter((m) => m.levelname === 'WARNING').map((m) => m.message);
    return { state: 'failed', error: `borg check ended with a warning and no verdict: ${warnings.join('; ') || 'no message'}` };
  }
  if (!messages.some((m) => /no problems found/.test(m.message ?? ''))) {
    return { state: 'failed', error: 'borg check exited 0 without "no problems found" (is -v missing?)' };
  }
  return verified ? { state: 'verified', chunks: Number(verified[1]) } : { state: 'verified' };
}
