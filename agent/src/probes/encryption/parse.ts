/** Encryption answers → per-volume state. Pure. */
import { asList } from '../powershell.ts';

export class EncryptionProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionProbeError';
  }
}

export type VolumeProtection = 'on' | 'off' | 'suspended' | 'encrypting';

export interface VolumeState {
  volume: string;
  protection: VolumeProtection;
  /** How: "BitLocker", "LUKS", "FileVault". */
  method: string;
  percent?: number;
}

interface LsblkDevice { name?: string; type?: string; fstype?: string | null; mountpoints?: (string | null)[]; mountpoint?: string | null; children?: LsblkDevice[] }

/**
 * `lsblk -J -o NAME,TYPE,FSTYPE,MOUNTPOINTS`: a mount point is encrypted when it, or a device it sits on, is a
 * dm-crypt mapping (TYPE crypt) or a LUKS container. A mount point on no block device (overlay in a container,
 * tmpfs) cannot be judged and throws.
 */
export function parseLsblk(stdout: string, mountpoints: readonly string[]): VolumeState[] {
  let data: { blockdevices?: LsblkDevice[] };
  try {
    data = JSON.parse(stdout) as typeof data;
  } catch {
    throw new EncryptionProbeError(`lsblk printed no JSON: "${stdout.trim().slice(0, 120)}"`);
  }
  if (!Array.isArray(data.blockdevices)) throw new EncryptionProbeError('lsblk JSON has no "blockdevices" list');
  const found = new Map<string, VolumeState>();
  const walk = (device: LsblkDevice, encrypted: boolean) => {
    const here = encrypted || device.type === 'crypt' || device.fstype === 'crypto_LUKS';
    // util-linux ≥ 2.37 lists every mount point; older versions one "mountpoint"
    const mounts = device.mountpoints ?? (device.mountpoint !== undefined ? [device.mountpoint] : []);
    for (const mount of mounts) {
      if (mount && mountpoints.includes(mount) && !found.has(mount)) found.set(mount, { volume: mount, protection: here ? 'on' : 'off', method: 'LUKS' });
    }
    for (const child of device.children ?? []) walk(child, here);
  };
  for (const device of data.blockdevices) walk(device, false);
  const missing = mountpoints.filter((m) => !found.has(m));
  if (missing.length) throw new EncryptionProbeError(`${missing.join(', ')} is on no block device lsblk lists (a container's overlay or a network file system cannot be judged)`);
  return mountpoints.map((m) => found.get(m)!);
}

/** The BitLocker script's JSON: [{MountPoint, VolumeType, ProtectionStatus, VolumeStatus, EncryptionPercentage, LockStatus}], enums as names. */
export function parseBitLocker(value: unknown): VolumeState[] {
  return asList(value).map((raw) => {
    const v = raw as { MountPoint?: unknown; ProtectionStatus?: unknown; VolumeStatus?: unknown; EncryptionPercentage?: unknown; LockStatus?: unknown };
    if (typeof v.MountPoint !== 'string') throw new EncryptionProbeError(`Get-BitLockerVolume gave a volume without MountPoint: ${JSON.stringify(raw).slice(0, 120)}`);
    const percent = typeof v.EncryptionPercentage === 'number' ? v.EncryptionPercentage : undefined;
    let protection: VolumeProtection;
    // A locked volume (a data drive not unlocked yet) reports ProtectionStatus "Unknown": its key is not at hand, which
    // is what protection means, so it counts as on — not as suspended, which it would read as by VolumeStatus alone.
    if (v.ProtectionStatus === 'On' || v.LockStatus === 'Locked') protection = 'on';
    else if (v.VolumeStatus === 'EncryptionInProgress') protection = 'encrypting';
    else if (v.VolumeStatus === 'FullyEncrypted') protection = 'suspended'; // encrypted, key in the clear: Suspend-BitLocker
    else protection = 'off';
    const state: VolumeState = { volume: v.MountPoint.toUpperCase(), protection, method: 'BitLocker' };
    if (percent !== undefined) state.percent = percent;
    return state;
  });
}

/** `fdesetup status`: "FileVault is On." / "FileVault is Off.", with a progress line while it encrypts. */
export function parseFdesetup(stdout: string): VolumeState {
  const m = /FileVault is (On|Off)/.exec(stdout);
  if (!m) throw new EncryptionProbeError(`fdesetup status printed no state: "${stdout.trim().slice(0, 120)}"`);
  const progress = /Encryption in progress: Percent completed = ([\d.]+)/.exec(stdout);
  if (progress) return { volume: '/', protection: 'encrypting', method: 'FileVault', percent: Number(progress[1]) };
  return { volume: '/', protection: m[1] === 'On' ? 'on' : 'off', method: 'FileVault' };
}
