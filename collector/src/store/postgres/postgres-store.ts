import type { CheckConfig, Result, Gap, ApiTokenScope } from '@nines/shared';
import { PgConnection } from './connection.ts';
import { PgCoordination } from './coordination.ts';
import { migratePostgres } from './database.ts';
import { ensureMonthPartitions } from './partitions.ts';
import { PgAgents } from './agents.ts';
import { PgResults } from './results.ts';
import { PgAuth } from './auth.ts';
import { PgManagement } from './management.ts';
import { PgDelivery } from './delivery.ts';
import { PgStorage } from './storage.ts';
import { PgJobRuns } from './job-runs.ts';
import { PgSavedSettings } from './saved-settings.ts';
import { PgStatusPages } from './status-pages.ts';
import { PgUpgradeSettings } from './upgrade-settings.ts';
import { PgDatabaseInfo } from './database-info.ts';
import { PgPatchHistory } from './patch-history.ts';
import { PgAlerts } from './alerts.ts';
import { PgAlertResults } from './alert-results.ts';
import { PgAgentSilences } from './agent-silences.ts';
import { PgOutbox } from './outbox.ts';
import { PgRecipients } from './recipients.ts';
import { PgReportSends } from './report-sends.ts';
import { PgAvailability } from './availability.ts';
import { PgMaintenance } from './maintenance.ts';
import type { StatusPageRepository } from '../status-pages.ts';
import type { ManagementRepository } from '../management.ts';
import type { ReportSettingsRepository } from '../report-settings.ts';
import type { ChannelSettingsRepository } from '../channel-settings.ts';
import type { ReportSendRepository } from '../report-sends.ts';
import type { StorageRepository } from '../storage.ts';
import type { JobRunRepository } from '../job-runs.ts';
import type { PatchHistoryRepository } from '../patch-history.ts';
import type { DatabaseInfoRepository } from '../database-info.ts';
import type { UpgradeSettingsRepository } from '../upgrade-settings.ts';
import type { DeliveryRepository } from '../delivery.ts';
import type { AvailabilityRepository } from '../availability.ts';
import type { MaintenanceRepository } from '../maintenance.ts';
import type { AlertRepository } from '../alerts.ts';
import type { AlertResultRepository } from '../alert-results.ts';
import type { AgentSilenceRepository } from '../agent-silences.ts';
import type { RecipientRepository } from '../recipients.ts';
import type { OutboxRepository } from '../outbox.ts';
import type { AgentRecord, CheckRecord, Client, InsertOutcome, Store, UserRecord, HelloInfo, SessionGrant, ApiTokenGrant } from '../store.ts';

/**
 * The Store on a PostgreSQL database: the same repositories as SQLite's (store/sqlite), each in its own file here,
 * over a pool of connections (connection.ts). Open it with `PgStore.open(url)`: it migrates the schema (its own
 * numbered migrations, postgres/migrations) and creates the month partitions of results around `now`.
 */
export class PgStore implements Store {
  private readonly agents: PgAgents;
  private readonly results: PgResults;
  private readonly auth: PgAuth;

  readonly management: ManagementRepository;
  readonly delivery: DeliveryRepository;
  readonly storage: StorageRepository;
  readonly availability: AvailabilityRepository;
  readonly maintenance: MaintenanceRepository;
  readonly alerts: AlertRepository;
  readonly alertResults: AlertResultRepository;
  readonly agentSilences: AgentSilenceRepository;
  readonly recipients: RecipientRepository;
  readonly reportSends: ReportSendRepository;
  readonly outbox: OutboxRepository;
  readonly jobRuns: JobRunRepository;
  readonly channelSettings: ChannelSettingsRepository;
  readonly reportSettings: ReportSettingsRepository;
  readonly statusPages: StatusPageRepository;
  readonly upgradeSettings: UpgradeSettingsRepository;
  readonly databaseInfo: DatabaseInfoRepository;
  readonly patchHistory: PatchHistoryRepository;
  readonly coordination: PgCoordination;

  /**
   * Ingest units of work side by side (IngestBatcher `parallel`): half the pool, so the alert engine, the overview and
   * the API still find connections while a burst is stored. Measured in bench stores (docs/performance.md).
   */
  readonly parallelUnitsOfWork: number;

  private constructor(readonly db: PgConnection, url: string, parallelUnitsOfWork: number, coordinationEveryMs?: number) {
    this.coordination = new PgCoordination(url, coordinationEveryMs);
    this.parallelUnitsOfWork = parallelUnitsOfWork;
    this.agents = new PgAgents(db, this.coordination.instance);
    this.results = new PgResults(db);
    this.auth = new PgAuth(db);
    this.management = new PgManagement(db);
    this.delivery = new PgDelivery(db);
    this.storage = new PgStorage(db);
    this.availability = new PgAvailability(db);
    this.maintenance = new PgMaintenance(db);
    this.alerts = new PgAlerts(db);
    this.alertResults = new PgAlertResults(db);
    this.agentSilences = new PgAgentSilences(db);
    this.recipients = new PgRecipients(db);
    this.reportSends = new PgReportSends(db);
    this.outbox = new PgOutbox(db);
    this.jobRuns = new PgJobRuns(db, this.coordination.instance);
    this.channelSettings = new PgSavedSettings(db, 'channel_settings');
    this.reportSettings = new PgSavedSettings(db, 'report_settings');
    this.statusPages = new PgStatusPages(db);
    this.upgradeSettings = new PgUpgradeSettings(db);
    this.databaseInfo = new PgDatabaseInfo(db);
    this.patchHistory = new PgPatchHistory(db);
  }

  /** The pool's size unless told (pg's own default, which the collector had before it was named here). */
  static readonly DEFAULT_CONNECTIONS = 10;

  /** Creates the partitions of results ahead again this often: a collector that runs for months keeps having them. */
  static readonly PARTITIONS_EVERY_MS = 6 * 3_600_000;
  private partitionTimer: NodeJS.Timeout | null = null;

  /**
   * Connects, migrates and creates the partitions the coming months' results go to, and again every
   * PARTITIONS_EVERY_MS (the wall clock only chooses which months exist ahead: a result of a month without one goes
   * to the default partition and reads the same).
   */
  /** `coordinationEveryMs`: how often leadership is contended and proven (PgCoordination; tests shorten it). */
  static async open(url: string, options: { now?: number; maxConnections?: number; coordinationEveryMs?: number } = {}): Promise<PgStore> {
    const maxConnections = options.maxConnections ?? PgStore.DEFAULT_CONNECTIONS;
    const db = new PgConnection(url, { max: maxConnections });
    try {
      await migratePostgres(db.pool);
      await ensureMonthPartitions(db.pool, options.now ?? Date.now());
    } catch (error) {
      await db.close();
      throw error;
    }
    const store = new PgStore(db, url, Math.max(1, Math.floor(maxConnections / 2)), options.coordinationEveryMs);
    store.partitionTimer = setInterval(() => void store.ensurePartitions(Date.now()).catch(() => {}), PgStore.PARTITIONS_EVERY_MS).unref();
    return store;
  }

  /** Creates the month partitions around `now` that do not exist yet; returns their names. */
  ensurePartitions(now: number): Promise<string[]> {
    return ensureMonthPartitions(this.db.pool, now);
  }

  unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  snapshot<T>(read: () => Promise<T>): Promise<T> {
    return this.db.transaction(read, { readOnly: true });
  }

  ensureClient(name: string, now: number): Promise<Client> {
    return this.agents.ensureClient(name, now);
  }

  findClient(idOrName: string | number): Promise<Client | undefined> {
    return this.agents.findClient(idOrName);
  }

  listClients(): Promise<Client[]> {
    return this.agents.listClients();
  }

  createEnrollToken(tokenHash: string, clientId: number, now: number, expiresAt: number): Promise<void> {
    return this.agents.createEnrollToken(tokenHash, clientId, now, expiresAt);
  }

  enrollAgent(tokenHash: string, agent: { id: string; name: string; secretHash: string; platform: string; agentVersion: string }, now: number) {
    return this.agents.enrollAgent(tokenHash, agent, now);
  }

  agentCredentials(agentId: string) {
    return this.agents.agentCredentials(agentId);
  }

  revokeAgent(agentId: string, now: number): Promise<boolean> {
    return this.agents.revokeAgent(agentId, now);
  }

  getAgent(agentId: string): Promise<AgentRecord | undefined> {
    return this.agents.getAgent(agentId);
  }

  listAgents(clientId?: number): Promise<AgentRecord[]> {
    return this.agents.listAgents(clientId);
  }

  recordHello(agentId: string, hello: HelloInfo): Promise<void> {
    return this.agents.recordHello(agentId, hello);
  }

  setConnected(agentId: string, connected: boolean, now: number): Promise<boolean> {
    return this.agents.setConnected(agentId, connected, now);
  }

  resetConnections(): Promise<void> {
    return this.agents.resetConnections();
  }

  releaseOrphanedConnections(): Promise<string[]> {
    return this.agents.releaseOrphanedConnections();
  }

  recordSeen(agentId: string, seenAt: number, backlog?: number): Promise<void> {
    return this.agents.recordSeen(agentId, seenAt, backlog);
  }

  assignChecks(agentId: string, checks: CheckConfig[]): Promise<number> {
    return this.agents.assignChecks(agentId, checks);
  }

  assignedConfig(agentId: string) {
    return this.agents.assignedConfig(agentId);
  }

  listChecks(agentId?: string): Promise<CheckRecord[]> {
    return this.agents.listChecks(agentId);
  }

  listClientChecks(clientId: number): Promise<CheckRecord[]> {
    return this.agents.listClientChecks(clientId);
  }

  insertResults(agentId: string, batch: Result[], receivedAt: number): Promise<InsertOutcome> {
    return this.results.insertResults(agentId, batch, receivedAt);
  }

  insertGap(agentId: string, gap: Gap): Promise<void> {
    return this.results.insertGap(agentId, gap);
  }

  countResults(agentId: string): Promise<number> {
    return this.results.countResults(agentId);
  }

  resultsBetween(agentId: string, checkId: string, from: number, to: number): Promise<Result[]> {
    return this.results.resultsBetween(agentId, checkId, from, to);
  }

  createUser(user: { username: string; passwordHash: string; role: 'admin' | 'client'; clientId?: number | null }, now: number): Promise<number> {
    return this.auth.createUser(user, now);
  }

  findUserByName(username: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
    return this.auth.findUserByName(username);
  }

  countUsers(): Promise<number> {
    return this.auth.countUsers();
  }

  createSession(idHash: string, userId: number, now: number, expiresAt: number): Promise<void> {
    return this.auth.createSession(idHash, userId, now, expiresAt);
  }

  session(idHash: string, now: number): Promise<SessionGrant | undefined> {
    return this.auth.session(idHash, now);
  }

  deleteSession(idHash: string): Promise<void> {
    return this.auth.deleteSession(idHash);
  }

  createApiToken(tokenHash: string, userId: number, name: string, now: number, options?: { scope?: ApiTokenScope; expiresAt?: number | null }): Promise<number> {
    return this.auth.createApiToken(tokenHash, userId, name, now, options);
  }

  apiToken(tokenHash: string, now: number): Promise<ApiTokenGrant | undefined> {
    return this.auth.apiToken(tokenHash, now);
  }

  async close(): Promise<void> {
    if (this.partitionTimer) clearInterval(this.partitionTimer);
    await this.coordination.stop();
    return this.db.close();
  }
}
