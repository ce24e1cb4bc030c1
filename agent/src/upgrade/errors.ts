/** Why an upgrade did not happen (or was undone), as coded constants: tests and scripts match on `code`. */
export const UpgradeErrors = {
  NO_KEY: 'NINES_ERR_UPGRADE_NO_KEY',
  KEY_MISMATCH: 'NINES_ERR_UPGRADE_KEY_MISMATCH',
  UNKNOWN_PLATFORM: 'NINES_ERR_UPGRADE_UNKNOWN_PLATFORM',
  NOT_PUBLISHED: 'NINES_ERR_UPGRADE_NOT_PUBLISHED',
  DOWNLOAD: 'NINES_ERR_UPGRADE_DOWNLOAD',
  TRUNCATED: 'NINES_ERR_UPGRADE_TRUNCATED',
  BAD_SIGNATURE: 'NINES_ERR_UPGRADE_BAD_SIGNATURE',
  HASH_MISMATCH: 'NINES_ERR_UPGRADE_HASH_MISMATCH',
  SWAP: 'NINES_ERR_UPGRADE_SWAP',
  ROLLED_BACK: 'NINES_ERR_UPGRADE_ROLLED_BACK',
  ROLLBACK_FAILED: 'NINES_ERR_UPGRADE_ROLLBACK_FAILED',
  /** A request file that is not a small plain file naming a version (privileged upgrader). */
  BAD_REQUEST: 'NINES_ERR_UPGRADE_BAD_REQUEST',
  /** The signed build does not report the requested version, or it is not newer than the installed one. */
  VERSION_MISMATCH: 'NINES_ERR_UPGRADE_VERSION_MISMATCH',
  /** The pinned key file is missing or writable by someone other than root. */
  KEY_FILE: 'NINES_ERR_UPGRADE_KEY_FILE',
} as const;
export type UpgradeErrorCode = (typeof UpgradeErrors)[keyof typeof UpgradeErrors];

export class UpgradeError extends Error {
  constructor(readonly code: UpgradeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpgradeError';
  }
}
