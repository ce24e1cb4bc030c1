import { PATCH_DEFAULT_TIMEOUT_MS, type PatchCheckConfig, type PatchManager } from '@nines/shared';
import type { PatchProbe, PatchProbeContext } from './types.ts';
import { createAptProbe } from './apt/collect.ts';
import { createDnfProbe } from './dnf/collect.ts';
import { createZypperProbe } from './zypper/collect.ts';
import { createApkProbe } from './apk/collect.ts';
import { createPacmanProbe } from './pacman/collect.ts';
import { createMacosProbe } from './macos/collect.ts';
import { createWindowsProbe } from './windows/collect.ts';

export type { PatchProbe, PatchProbeContext, PatchState, PendingUpdate, PatchCollection } from './types.ts';

/** Every package manager the agent can ask, one line each; a manager in shared/ without a line here is a type error. */
export const patchProbes = {
  apt: createAptProbe(),
  dnf: createDnfProbe('dnf'),
  yum: createDnfProbe('yum'),
  zypper: createZypperProbe(),
  apk: createApkProbe(),
  pacman: createPacmanProbe(),
  macos: createMacosProbe(),
  windows: createWindowsProbe(),
} satisfies Record<PatchManager, PatchProbe>;

// Order matters where a machine has several: dnf boxes often keep a yum shim, and apt-get is
// packaged on some non-Debian systems only as a tool, so the native manager of each family comes first.
const LINUX_DETECTION_ORDER: readonly PatchManager[] = ['apt', 'dnf', 'yum', 'zypper', 'apk', 'pacman'];

/** Which manager this machine has, or undefined when none we know is installed. */
export async function detectPatchManager(
  ctx: PatchProbeContext,
  platform: NodeJS.Platform = process.platform,
  probes: Record<PatchManager, PatchProbe> = patchProbes,
): Promise<PatchManager | undefined> {
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  for (const manager of LINUX_DETECTION_ORDER) {
    if (await probes[manager].detect(ctx)) return manager;
  }
  return undefined;
}

/**
 * The patch check the agent adds when its config has none: every machine should report its patch state.
 * No name: the edges show a default per language from the kind ("Patchstand" / "Patch status").
 */
export function autoPatchCheck(): PatchCheckConfig {
  return { kind: 'patch', id: 'patches', manager: 'auto', timeout: PATCH_DEFAULT_TIMEOUT_MS };
}
