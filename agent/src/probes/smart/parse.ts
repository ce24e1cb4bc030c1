/** smartctl's JSON (`-j`, smartmontools ≥ 7.0) → typed disk facts. Pure: text in, data or a SmartProbeError out. */

/** A probe step that failed for a reason a person can act on; the check reports it as UNKNOWN. */
export class SmartProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmartProbeError';
  }
}

export interface ScannedDevice {
  name: string;
  /** smartctl's device type ("sat", "nvme", "scsi"); passed back with -d so USB bridges are read the same way. */
  type?: string;
}

export interface DiskHealth {
  device: string;
  protocol: 'ATA' | 'NVMe' | 'SCSI' | string;
  model?: string;
  serial?: string;
  /** smart_status.passed; undefined when the disk gave no overall verdict. */
  passed?: boolean;
  /** ATA attributes whose normalised value is at or below the maker's threshold now (when_failed "now"). */
  failingAttributes: string[];
  reallocatedSectors?: number;
  pendingSectors?: number;
  uncorrectableSectors?: number;
  temperatureC?: number;
  /** NVMe: share of the rated endurance used, may pass 100. */
  percentUsed?: number;
  mediaErrors?: number;
  /** NVMe critical_warning bit field: spare low, temperature, reliability degraded, read-only, backup failed. */
  criticalWarning?: number;
  powerOnHours?: number;
}

// smartctl(8) EXIT STATUS: a bit mask. Bits 0-1 mean there is no data to judge.
const EXIT_COMMAND_LINE = 1;
const EXIT_OPEN_FAILED = 2;

interface SmartctlJson {
  smartctl?: { exit_status?: number; messages?: { string?: string; severity?: string }[] };
  devices?: { name?: unknown; type?: unknown }[];
  device?: { name?: unknown; protocol?: unknown };
  model_name?: unknown;
  serial_number?: unknown;
  smart_support?: { available?: unknown };
  smart_status?: { passed?: unknown };
  temperature?: { current?: unknown };
  power_on_time?: { hours?: unknown };
  ata_smart_attributes?: { table?: { id?: unknown; name?: unknown; when_failed?: unknown; raw?: { value?: unknown } }[] };
  nvme_smart_health_information_log?: { critical_warning?: unknown; temperature?: unknown; percentage_used?: unknown; media_errors?: unknown };
  scsi_grown_defect_list?: unknown;
  scsi_pending_defects?: { count?: unknown };
}

function parseJson(stdout: string, what: string): SmartctlJson {
  try {
    const data = JSON.parse(stdout) as unknown;
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data as SmartctlJson;
  } catch {
    // fall through to the error below
  }
  throw new SmartProbeError(`smartctl printed no JSON for ${what} (smartmontools 7.0 or newer is needed for -j): "${excerpt(stdout)}"`);
}

/** The error smartctl itself gave, e.g. "Smartctl open device: /dev/sda failed: Permission denied". */
function errorText(data: SmartctlJson): string {
  const messages = data.smartctl?.messages ?? [];
  const error = messages.find((m) => m.severity === 'error') ?? messages[0];
  return error?.string?.trim() || `exit status ${data.smartctl?.exit_status ?? '?'}`;
}

/** `smartctl --scan -j`: the disks smartctl can see (none in a VM or container is normal). */
export function parseScan(stdout: string): ScannedDevice[] {
  const data = parseJson(stdout, '--scan');
  const exit = data.smartctl?.exit_status ?? 0;
  if (exit & (EXIT_COMMAND_LINE | EXIT_OPEN_FAILED)) throw new SmartProbeError(`smartctl --scan failed: ${errorText(data)}`);
  return (data.devices ?? [])
    .filter((d) => typeof d.name === 'string' && d.name !== '')
    .map((d) => (typeof d.type === 'string' ? { name: d.name as string, type: d.type } : { name: d.name as string }));
}

/** `smartctl -j -a <device>`: one disk's health; a disk smartctl could not open or read throws with the reason. */
export function parseDevice(stdout: string, device: string): DiskHealth {
  const data = parseJson(stdout, device);
  const exit = data.smartctl?.exit_status ?? 0;
  if (exit & (EXIT_COMMAND_LINE | EXIT_OPEN_FAILED)) {
    const said = errorText(data);
    const hint = /permission denied|operation not permitted/i.test(said) ? ' (reading SMART data needs root; run the agent as root or leave this check out)' : '';
    throw new SmartProbeError(`smartctl cannot read ${device}: ${said}${hint}`);
  }
  if (data.smart_support?.available === false) throw new SmartProbeError(`${device} has no SMART support (USB stick, virtual or RAID-hidden disk?)`);

  const protocol = typeof data.device?.protocol === 'string' ? data.device.protocol : 'ATA';
  const health: DiskHealth = { device: typeof data.device?.name === 'string' ? data.device.name : device, protocol, failingAttributes: [] };
  if (typeof data.model_name === 'string') health.model = data.model_name;
  if (typeof data.serial_number === 'string') health.serial = data.serial_number;
  if (typeof data.smart_status?.passed === 'boolean') health.passed = data.smart_status.passed;
  const temperature = number(data.temperature?.current) ?? number(data.nvme_smart_health_information_log?.temperature);
  if (temperature !== undefined) health.temperatureC = temperature;
  const hours = number(data.power_on_time?.hours);
  if (hours !== undefined) health.powerOnHours = hours;

  for (const attribute of data.ata_smart_attributes?.table ?? []) {
    const raw = number(attribute.raw?.value);
    if (attribute.when_failed === 'now' && typeof attribute.name === 'string') health.failingAttributes.push(attribute.name);
    if (raw === undefined) continue;
    // Raw values of these three are plain counts on every maker's disks; others (temperature, error rates) are packed.
    if (attribute.id === 5) health.reallocatedSectors = raw;
    else if (attribute.id === 197) health.pendingSectors = raw;
    else if (attribute.id === 198) health.uncorrectableSectors = raw;
  }
  const nvme = data.nvme_smart_health_information_log;
  if (nvme) {
    const used = number(nvme.percentage_used);
    const media = number(nvme.media_errors);
    const warning = number(nvme.critical_warning);
    if (used !== undefined) health.percentUsed = used;
    if (media !== undefined) health.mediaErrors = media;
    if (warning !== undefined) health.criticalWarning = warning;
  }
  const grown = number(data.scsi_grown_defect_list);
  if (grown !== undefined) health.reallocatedSectors = grown;
  const scsiPending = number(data.scsi_pending_defects?.count);
  if (scsiPending !== undefined) health.pendingSectors = scsiPending;

  const hasData = health.passed !== undefined || health.temperatureC !== undefined || data.ata_smart_attributes !== undefined || nvme !== undefined;
  if (!hasData) throw new SmartProbeError(`smartctl read nothing from ${device}: ${errorText(data)}`);
  return health;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
