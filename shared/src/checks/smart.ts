import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const SMART_DEFAULT_INTERVAL_MS = 3_600_000; // SMART values change over days; hourly catches a dying disk long before it dies
export const SMART_DEFAULT_TIMEOUT_MS = 60_000; // smartctl -a on a busy SATA disk takes a few seconds, several disks add up

/** Limits per kind of disk: an NVMe SSD runs 10-15 °C warmer than a SATA disk at the same health. */
export const SMART_DEFAULT_LIMITS = {
  ata: { warnTemperatureC: 55, critTemperatureC: 65 }, // hard disk makers name 55-60 °C as the top of the operating range
  nvme: { warnTemperatureC: 70, critTemperatureC: 80 }, // NVMe controllers throttle from about 70-80 °C
  warnPercentUsed: 80, // NVMe "percentage used": the share of rated endurance written
  critPercentUsed: 95,
  warnReallocatedSectors: 1, // any reallocated sector is a sign; many in a short time is the end
  critReallocatedSectors: 100,
  warnPendingSectors: 1, // a pending sector is unreadable data now
  critPendingSectors: 10,
  warnMediaErrors: 1, // NVMe unrecovered data-integrity errors
} as const;

export const SmartCheckSchema = checkSchema(
  'smart',
  {
    devices: Type.Optional(
      Type.Array(Type.String({ minLength: 1, pattern: '^[^-]', description: 'a device as smartctl names it, e.g. /dev/sda or /dev/nvme0 (never an option: no leading -)' }), {
        minItems: 1,
        description: 'disks to read; default: every disk `smartctl --scan` finds',
      }),
    ),
    program: Type.Optional(Type.String({ minLength: 1, description: 'smartctl to run (default: smartctl on PATH)' })),
    warnTemperatureC: Type.Optional(Type.Number({ description: 'WARN at this temperature (default 55 for SATA/SAS, 70 for NVMe)' })),
    critTemperatureC: Type.Optional(Type.Number({ description: 'CRIT at this temperature (default 65 for SATA/SAS, 80 for NVMe)' })),
    warnPercentUsed: Type.Optional(Type.Number({ minimum: 0, description: 'NVMe endurance used, WARN from (default 80)' })),
    critPercentUsed: Type.Optional(Type.Number({ minimum: 0, description: 'NVMe endurance used, CRIT from (default 95)' })),
    warnReallocatedSectors: Type.Optional(Type.Integer({ minimum: 1, description: 'WARN from this many reallocated sectors (default 1)' })),
    critReallocatedSectors: Type.Optional(Type.Integer({ minimum: 1, description: 'CRIT from this many reallocated sectors (default 100)' })),
    warnPendingSectors: Type.Optional(Type.Integer({ minimum: 1, description: 'WARN from this many pending or uncorrectable sectors (default 1)' })),
    critPendingSectors: Type.Optional(Type.Integer({ minimum: 1, description: 'CRIT from this many pending or uncorrectable sectors (default 10)' })),
    warnMediaErrors: Type.Optional(Type.Integer({ minimum: 1, description: 'NVMe media errors, WARN from (default 1)' })),
  },
  'disk health from smartctl (smartmontools): overall status, reallocated and pending sectors, NVMe wear and media errors, temperature',
);
export type SmartCheckConfig = Static<typeof SmartCheckSchema>;
