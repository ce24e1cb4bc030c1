import type { CheckConfig, Result, Gap, ApiTokenScope, ReportSettingPart } from '@nines/shared';
import { openDatabase, type Db } from './database.ts';
import { SqliteAgents } from './agents.ts';
import { SqliteResults } from './results.ts';
import { SqliteAuth } from './auth.ts';
import { SqliteManagement } from './management.ts';
import { SqliteDelivery } from './delivery.ts';
import { SqliteStorage } from './storage.ts';
import { SqliteAvailability } from './availability.ts';
import { SqliteMaintenance } from './maintenance.ts';
import { SqliteAlerts } from './alerts.ts';
import { SqliteAlertResults } from './alert-results.ts';
import { SqliteAgentSilences } from './agent-silences.ts';
import { SqliteOutbox } from './outbox.ts';
import { SqliteRecipients } from './recipients.ts';
import { SqliteJobRuns } from './job-runs.ts';
import { SqliteSavedSettings } from './saved-settings.ts';
import { SqliteUpgradeSettings } from './upgrade-settings.ts';
import { SqliteDatabaseInfo } from './database-info.ts';
import { SqlitePatchHistory } from './patch-history.ts';
import { SqliteReportSends } from './report-sends.ts';
import { SqliteStatusPages } from './status-pages.ts';
import type { StatusPageRepository } from '../status-pages.ts';
import { asyncFacade } from './async-facade.ts';
import { ConnectionGate } from './connection-gate.ts';
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
import { SoleCoordination } from './coordination.ts';
import type { AgentRecord, CheckRecord, Client, InsertOutcome, Store, UserRecord, HelloInfo, SessionGrant, ApiTokenGrant } from '../store.ts';

/**
 * The Store on one SQLite file. The core methods are delegated to one class per idea: agents.ts (clients,
 * enrollment, agents, assigned checks), results.ts (results, gaps, check states), auth.ts (users, sessions,
 * API tokens); each domain repository is its own class in store/sqlite/<domain>.ts.
 */
export class SqliteStore implements Store {
  /** The better-sqlite3 handle: for tests that inspect the file, never for domain code. */
  readonly db: Db;
  private readonly agents: SqliteAgents;
  private readonly results: SqliteResults;
  private readonly auth: SqliteAuth;
  /** The alerts repository's cache of what committed units of work read and wrote (alerts.ts). */
  private readonly alertCache: SqliteAlerts;
  /** Keeps other contexts off the connection while an asynchronous unit of work awaits. */
  private readonly gate: ConnectionGate;

  // Domain repositories (store/<domain>.ts):
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
  readonly coordination = new SoleCoordination();

  constructor(file: string) {
    this.db = openDatabase(file);
    this.gate = new ConnectionGate(this.db);
    this.agents = new SqliteAgents(this.db);
    this.results = new SqliteResults(this.db);
    this.auth = new SqliteAuth(this.db);

    this.management = asyncFacade<ManagementRepository>(new SqliteManagement(this.db), this.gate);
    this.delivery = asyncFacade<DeliveryRepository>(new SqliteDelivery(this.db), this.gate);
    this.storage = asyncFacade<StorageRepository>(new SqliteStorage(this.db), this.gate);
    const availability = new SqliteAvailability(this.db);
    // isOpen is not a database call: it answers after close too.
    this.availability = { ...asyncFacade<AvailabilityRepository>(availability, this.gate), isOpen: () => availability.isOpen() };
    this.maintenance = asyncFacade<MaintenanceRepository>(new SqliteMaintenance(this.db), this.gate);
    this.alertCache = new SqliteAlerts(this.db);
    this.alerts = asyncFacade<AlertRepository>(this.alertCache, this.gate);
    this.alertResults = asyncFacade<AlertResultRepository>(new SqliteAlertResults(this.db), this.gate);
    this.agentSilences = asyncFacade<AgentSilenceRepository>(new SqliteAgentSilences(this.db), this.gate);
    this.recipients = asyncFacade<RecipientRepository>(new SqliteRecipients(this.db), this.gate);
    this.reportSends = asyncFacade<ReportSendRepository>(new SqliteReportSends(this.db), this.gate);
    // The outbox's withdrawal un-announces check alerts by SQL: their cached versions are read again.
    const alertCache = this.alertCache;
    this.outbox = asyncFacade<OutboxRepository>(new SqliteOutbox(this.db, (agentId) => alertCache.forgetAgent(agentId)), this.gate);
    this.jobRuns = asyncFacade<JobRunRepository>(new SqliteJobRuns(this.db, this.coordination.instance), this.gate);
    this.channelSettings = asyncFacade<ChannelSettingsRepository>(new SqliteSavedSettings(this.db, 'channel_settings'), this.gate);
    this.reportSettings = asyncFacade<ReportSettingsRepository>(new SqliteSavedSettings(this.db, 'report_settings'), this.gate);
    this.statusPages = asyncFacade<StatusPageRepository>(new SqliteStatusPages(this.db), this.gate);
    this.upgradeSettings = asyncFacade<UpgradeSettingsRepository>(new SqliteUpgradeSettings(this.db), this.gate);
    this.databaseInfo = asyncFacade<DatabaseInfoRepository>(new SqliteDatabaseInfo(this.db), this.gate);
    this.patchHistory = asyncFacade<PatchHistoryRepository>(new SqlitePatchHistory(this.db), this.gate);
  }

  unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    return this.gate.transaction(work, (committed) => (committed ? this.alertCache.committed() : this.alertCache.rolledBack()));
  }

  snapshot<T>(read: () => Promise<T>): Promise<T> {
    // Read-only: a deferred BEGIN takes no write lock, so another process's writes are not held up by it.
    return this.gate.transaction(read, undefined, 'BEGIN');
  }

  ensureClient(name: string, now: number): Promise<Client> {
    return this.gate.run(() => this.agents.ensureClient(name, now));
  }

  findClient(idOrName: string | number): Promise<Client | undefined> {
    return this.gate.run(() => this.agents.findClient(idOrName));
  }

  listClients(): Promise<Client[]> {
    return this.gate.run(() => this.agents.listClients());
  }

  createEnrollToken(tokenHash: string, clientId: number, now: number, expiresAt: number): Promise<void> {
    return this.gate.run(() => this.agents.createEnrollToken(tokenHash, clientId, now, expiresAt));
  }

  enrollAgent(tokenHash: string, agent: { id: string; name: string; secretHash: string; platform: string; agentVersion: string }, now: number) {
    return this.gate.run(() => this.agents.enrollAgent(tokenHash, agent, now));
  }

  agentCredentials(agentId: string) {
    return this.gate.run(() => this.agents.agentCredentials(agentId));
  }

  revokeAgent(agentId: string, now: number): Promise<boolean> {
    return this.gate.run(() => this.agents.revokeAgent(agentId, now));
  }

  getAgent(agentId: string): Promise<AgentRecord | undefined> {
    return this.gate.run(() => this.agents.getAgent(agentId));
  }

  listAgents(clientId?: number): Promise<AgentRecord[]> {
    return this.gate.run(() => this.agents.listAgents(clientId));
  }

  recordHello(agentId: string, hello: HelloInfo): Promise<void> {
    return this.gate.run(() => this.agents.recordHello(agentId, hello));
  }

  setConnected(agentId: string, connected: boolean, now: number): Promise<boolean> {
    return this.gate.run(() => this.agents.setConnected(agentId, connected, now));
  }

  resetConnections(): Promise<void> {
    return this.gate.run(() => this.agents.resetConnections());
  }

  /** One collector owns the file and resets every mark at start: no other collector's marks can be left. */
  async releaseOrphanedConnections(): Promise<string[]> {
    return [];
  }

  recordSeen(agentId: string, seenAt: number, backlog?: number): Promise<void> {
    return this.gate.run(() => this.agents.recordSeen(agentId, seenAt, backlog));
  }

  assignChecks(agentId: string, checks: CheckConfig[]): Promise<number> {
    return this.gate.run(() => this.agents.assignChecks(agentId, checks));
  }

  assignedConfig(agentId: string) {
    return this.gate.run(() => this.agents.assignedConfig(agentId));
  }

  listChecks(agentId?: string): Promise<CheckRecord[]> {
    return this.gate.run(() => this.agents.listChecks(agentId));
  }

  listClientChecks(clientId: number): Promise<CheckRecord[]> {
    return this.gate.run(() => this.agents.listClientChecks(clientId));
  }

  insertResults(agentId: string, batch: Result[], receivedAt: number): Promise<InsertOutcome> {
    return this.gate.run(() => this.results.insertResults(agentId, batch, receivedAt));
  }

  insertGap(agentId: string, gap: Gap): Promise<void> {
    return this.gate.run(() => this.results.insertGap(agentId, gap));
  }

  countResults(agentId: string): Promise<number> {
    return this.gate.run(() => this.results.countResults(agentId));
  }

  resultsBetween(agentId: string, checkId: string, from: number, to: number): Promise<Result[]> {
    return this.gate.run(() => this.results.resultsBetween(agentId, checkId, from, to));
  }

  createUser(user: { username: string; passwordHash: string; role: 'admin' | 'client'; clientId?: number | null }, now: number): Promise<number> {
    return this.gate.run(() => this.auth.createUser(user, now));
  }

  findUserByName(username: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
    return this.gate.run(() => this.auth.findUserByName(username));
  }

  countUsers(): Promise<number> {
    return this.gate.run(() => this.auth.countUsers());
  }

  createSession(idHash: string, userId: number, now: number, expiresAt: number): Promise<void> {
    return this.gate.run(() => this.auth.createSession(idHash, userId, now, expiresAt));
  }

  session(idHash: string, now: number): Promise<SessionGrant | undefined> {
    return this.gate.run(() => this.auth.session(idHash, now));
  }

  deleteSession(idHash: string): Promise<void> {
    return this.gate.run(() => this.auth.deleteSession(idHash));
  }

  createApiToken(tokenHash: string, userId: number, name: string, now: number, options?: { scope?: ApiTokenScope; expiresAt?: number | null }): Promise<number> {
    return this.gate.run(() => this.auth.createApiToken(tokenHash, userId, name, now, options));
  }

  apiToken(tokenHash: string, now: number): Promise<ApiTokenGrant | undefined> {
    return this.gate.run(() => this.auth.apiToken(tokenHash, now));
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
