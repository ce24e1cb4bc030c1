import { coded, worstStatus, type EncryptionCheckConfig, type Status } from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';
import type { VolumeState } from './parse.ts';

/** On: OK; encrypting or suspended (BitLocker during an update): WARN; off: unencryptedStatus (default WARN). */
export function evaluateEncryption(volumes: readonly VolumeState[], config: Pick<EncryptionCheckConfig, 'unencryptedStatus'>): CheckOutcome {
  const by = (p: VolumeState['protection']) => volumes.filter((v) => v.protection === p).map((v) => v.volume);
  const off = by('off');
  const suspended = by('suspended');
  const encrypting = by('encrypting');
  let status: Status = 'OK';
  if (off.length) status = worstStatus(status, config.unencryptedStatus ?? 'WARN');
  if (suspended.length || encrypting.length) status = worstStatus(status, 'WARN');
  const method = volumes[0]?.method ?? 'encryption';
  return {
    status,
    metrics: { volumes: volumes.length, encrypted: by('on').length },
    details: { volumes },
    ...coded('encryption.state', {
      method,
      encrypted: by('on').join(', ') || undefined,
      unencrypted: off.join(', ') || undefined,
      suspended: suspended.join(', ') || undefined,
      encrypting: encrypting.join(', ') || undefined,
    }),
  };
}
