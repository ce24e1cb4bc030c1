import { join } from 'node:path';
import { hostname, platform } from 'node:os';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AgentConfig, CheckConfig, Clock, ConfigMessage, UpdateMessage } from '@nines/shared';
import { Spool, type SpoolOptions } from './spool.ts';
import { CollectorConnection } from './connection.ts';
import { Scheduler } from './scheduler.ts';
import { readAssignedConfig, writeAssignedConfig } from './assigned-config.ts';
import { autoDetectedChecks } from './auto-checks.ts';
import { refusedPrograms } from './program-policy.ts';
import { startHeartbeatListener, type HeartbeatListener } from './probes/backup/heartbeat/listener.ts';
import type { AgentIdentity } from './identity.ts';
import type { ExecFn } from './exec.ts';
import { AGENT_VERSION } from './version.ts';
import { writeConnectedMarker } from './upgrade/marker.ts';
import { writeAnnouncement } from './upgrade/announcement.ts';

export interface AgentOptions {
  stateDir: string;
  identity: AgentIdentity;
  localConfig: AgentConfig;
  clock: Clock;
  exec: ExecFn;
  log: Logger;
  spool?: Omit<SpoolOptions, 'dir'>;
  tls?: { caFile?: string; pinnedFingerprint?: string; allowInsecure?: boolean };
  /** Add the checks this machine is found to need (patch status) when none of their kind is configured. */
  autoDetect?: boolean;
  /** Port of the loopback listener backup scripts report to (started once a heartbeat job is configured). */
  heartbeatPort?: number;
  /** Told of each newer build the collector announces, after it is saved to update.json (automatic mode). */
  onUpdate?: (update: UpdateMessage) => void;
}

const STATUS_FILE = 'status.json';
const STATUS_EVERY_MS = 10_000;
/** A result is on disk (fdatasync) at most this long after it was produced, and only then sent. */
export const SPOOL_SYNC_WINDOW_MS = 200;

/** A running agent: checks on schedule → spool → collector, with the collector's config applied live. */
export class Agent {
  readonly spool: Spool;
  readonly connection: CollectorConnection;
  readonly scheduler: Scheduler;
  private assigned: ConfigMessage | null;
  private autoChecks: CheckConfig[] = [];
  /** Checks in force that came from the collector: they may run only the programs the local config allows. */
  private fromCollector = new WeakSet<CheckConfig>();
  private statusTimer: NodeJS.Timeout | null = null;
  private heartbeat: Promise<HeartbeatListener | null> | null = null;

  constructor(private readonly options: AgentOptions) {
    const { stateDir, identity, clock, log } = options;
    // Group commit: results are sent in the frame of their sync window, one fdatasync per window (docs/delivery.md).
    this.spool = new Spool({ dir: join(stateDir, 'spool'), syncWindowMs: SPOOL_SYNC_WINDOW_MS, ...options.spool, onDurable: () => this.connection.pump() });
    this.assigned = readAssignedConfig(stateDir);
    this.scheduler = new Scheduler({
      clock, exec: options.exec, log, stateDir, agentId: identity.agentId, concurrency: options.localConfig.concurrency ?? 4,
      refusedPrograms: (config) => (this.fromCollector.has(config) ? refusedPrograms(config, options.localConfig.allowPrograms ?? []) : []),
      onResult: (result) => {
        try {
          this.spool.append(result, clock());
        } catch (error) {
          // Disk full or read-only: the result is lost, but the agent keeps checking and says so.
          log.error({ err: error, check: result.checkId }, 'cannot write the result to the spool');
          return;
        }
        this.connection.pump();
      },
    });
    this.connection = new CollectorConnection({
      url: identity.collectorUrl, agentId: identity.agentId, secret: identity.secret, spool: this.spool, clock, log,
      hello: { agentVersion: AGENT_VERSION, hostname: hostname(), platform: platform(), bootId: bootId() },
      configVersion: () => this.assigned?.version ?? 0,
      onConfig: (config) => this.applyAssigned(config),
      onUpdate: (update) => this.announced(update),
      onStateChange: (state) => {
        if (state !== 'streaming') return;
        // The proof an upgrade waits for (upgrade/marker.ts): this version's hello was accepted.
        try {
          writeConnectedMarker(stateDir, { version: AGENT_VERSION, at: clock(), pid: process.pid });
        } catch (error) {
          log.warn({ err: error }, 'cannot write the connected marker');
        }
      },
      ...options.tls,
    });
  }

  async start(): Promise<void> {
    if (this.options.autoDetect !== false) this.autoChecks = await autoDetectedChecks(this.options.localConfig.checks ?? []);
    this.reschedule();
    this.connection.start();
    this.writeStatus();
    this.statusTimer = setInterval(() => this.writeStatus(), STATUS_EVERY_MS);
  }

  /** Stops checking, flushes, closes the socket and the spool. */
  async stop(): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    await this.scheduler.stop();
    await (await this.heartbeat)?.close();
    this.connection.pump();
    await this.connection.stop();
    this.writeStatus();
    this.spool.close();
  }

  /** Assigned checks first, then local ones (a local check with the same id wins), then auto-detected. */
  checks(): CheckConfig[] {
    const byId = new Map<string, CheckConfig>();
    this.fromCollector = new WeakSet(this.assigned?.checks ?? []);
    for (const c of this.assigned?.checks ?? []) byId.set(c.id, c);
    for (const c of this.options.localConfig.checks ?? []) byId.set(c.id, c);
    for (const c of this.autoChecks) if (![...byId.values()].some((x) => x.kind === c.kind)) byId.set(c.id, c);
    return [...byId.values()];
  }

  private applyAssigned(config: ConfigMessage): void {
    this.assigned = config;
    writeAssignedConfig(this.options.stateDir, config);
    this.options.log.info({ version: config.version, checks: config.checks.length }, 'new config from the collector');
    this.reschedule();
  }

  private announced(update: UpdateMessage): void {
    try {
      writeAnnouncement(this.options.stateDir, update);
    } catch (error) {
      this.options.log.warn({ err: error }, 'cannot save the collector\'s update announcement');
    }
    this.options.log.info({ version: update.version, automatic: update.automatic }, 'the collector announces a newer agent build');
    this.options.onUpdate?.(update);
  }

  private reschedule(): void {
    const checks = this.checks();
    this.scheduler.setChecks(checks);
    const wantsHeartbeats = checks.some((c) => c.kind === 'backup' && c.tool === 'heartbeat');
    if (wantsHeartbeats && !this.heartbeat) this.heartbeat = this.listenForHeartbeats();
  }

  /** The heartbeat listener's port, or null when none is listening. */
  async heartbeatListenerPort(): Promise<number | null> {
    return (await this.heartbeat)?.port ?? null;
  }

  /** A busy port is logged, not fatal: the heartbeat jobs then turn stale and say so. */
  private async listenForHeartbeats(): Promise<HeartbeatListener | null> {
    const { stateDir, clock, log, heartbeatPort } = this.options;
    try {
      const listener = await startHeartbeatListener({ stateDir, clock, log, port: heartbeatPort });
      log.info({ port: listener.port }, 'listening for backup heartbeats on 127.0.0.1');
      return listener;
    } catch (error) {
      log.error({ err: error, port: heartbeatPort }, 'cannot listen for backup heartbeats');
      return null;
    }
  }

  private writeStatus(): void {
    const path = join(this.options.stateDir, STATUS_FILE);
    const status = {
      pid: process.pid, version: AGENT_VERSION, agentId: this.options.identity.agentId, collectorUrl: this.options.identity.collectorUrl,
      connection: this.connection.state, connectedAt: this.connection.connectedAt, lastError: this.connection.lastError,
      lastSeq: this.spool.lastSeq, ackedUpTo: this.spool.ackedUpTo, backlog: this.spool.backlog, spoolBytes: this.spool.bytes,
      checks: this.scheduler.checkIds, configVersion: this.assigned?.version ?? 0, updatedAt: this.options.clock(),
    };
    try {
      writeFileSync(path + '.tmp', JSON.stringify(status, null, 2));
      renameSync(path + '.tmp', path);
    } catch (error) {
      this.options.log.warn({ err: error }, 'cannot write the status file');
    }
  }
}

/** Changes when the machine reboots, so the collector can tell a reboot from a network blip. */
function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return randomUUID();
  }
}
