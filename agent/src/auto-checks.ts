import type { CheckConfig } from '@nines/shared';
import { autoPatchCheck } from './probes/patch/index.ts';
import { binaryOnPath } from './probes/patch/detect.ts';
import { autoSmartCheck } from './probes/smart/detect.ts';
import { autoFirewallCheck } from './probes/firewall/detect.ts';
import { autoLoginsCheck } from './probes/logins/detect.ts';
import { autoAntivirusCheck } from './probes/antivirus/detect.ts';
import { autoEncryptionCheck } from './probes/encryption/detect.ts';
import { autoAdminsCheck } from './probes/admins/detect.ts';
import { access } from 'node:fs/promises';
import { execProgram, type ExecFn } from './exec.ts';

/** What detection may touch: cheap, read-only looks at the machine (a program on PATH, a quick listing). */
export interface AutoDetectContext {
  platform: NodeJS.Platform;
  exec: ExecFn;
  signal: AbortSignal;
  timeoutMs: number;
  onPath(name: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
}

const DETECT_TIMEOUT_MS = 10_000; // a detection that takes longer would delay the agent's start for nothing

export function defaultAutoDetectContext(): AutoDetectContext {
  return { platform: process.platform, exec: execProgram, signal: new AbortController().signal, timeoutMs: DETECT_TIMEOUT_MS, onPath: (name) => binaryOnPath(name), exists: (path) => access(path).then(() => true, () => false) };
}

/** One detector per kind that applies only to some machines; each answers its check or undefined. */
const DETECTORS: ((ctx: AutoDetectContext) => Promise<CheckConfig | undefined>)[] = [autoSmartCheck, autoFirewallCheck, autoLoginsCheck, autoAntivirusCheck, autoEncryptionCheck, autoAdminsCheck];

/**
 * Checks every machine gets without configuring them: patch status, plus the kinds that apply to this
 * machine (disk health where smartctl sees disks, the firewall where there is one, logins where sshd or Windows takes remote logins, antivirus
 * on Windows, on macOS (XProtect) and where ClamAV is installed (a missing database is its finding), encryption where the machine has it, the
 * administrators everywhere). A kind already configured is left out: the configured
 * check, with its thresholds, is the machine's check of that kind.
 */
export async function autoDetectedChecks(configured: readonly CheckConfig[], ctx: AutoDetectContext = defaultAutoDetectContext()): Promise<CheckConfig[]> {
  const auto: CheckConfig[] = [autoPatchCheck()];
  for (const detect of DETECTORS) {
    const check = await detect(ctx);
    if (check) auto.push(check);
  }
  return auto.filter((check) => !configured.some((c) => c.kind === check.kind));
}
