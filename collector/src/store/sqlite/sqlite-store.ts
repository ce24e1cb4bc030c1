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
import { asyncFacade, syncGuard } from './async-facade.ts';
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
  private readonly runInTransaction: (fn: () => unknown) => unknown;
  /** Keeps other contexts off the connection while an asynchronous unit of work awaits. */
  private readonly gate: ConnectionGate;

  // Domain repositories (store/<domain>.ts):
  readonly management: ManagementRepository;
  readonly delivery: SqliteDelivery;
  readonly storage: StorageRepository;
  readonly availability: SqliteAvailability;
  readonly maintenance: SqliteMaintenance;
  readonly alerts: SqliteAlerts;
  readonly alertResults: SqliteAlertResults;
  readonly agentSilences: SqliteAgentSilences;
  readonly recipients: SqliteRecipients;
  readonly reportSends: ReportSendRepository;
  readonly outbox: SqliteOutbox;
  readonly jobRuns: JobRunRepository;
  readonly channelSettings: ChannelSettingsRepository;
  readonly reportSettings: ReportSettingsRepository;
  readonly statusPages: StatusPageRepository;
  readonly upgradeSettings: UpgradeSettingsRepository;
  readonly databaseInfo: DatabaseInfoRepository;
  readonly patchHistory: PatchHistoryRepository;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.gate = new ConnectionGate(this.db);
    // Still synchronous: guarded, so a call made while another context's unit of work is open throws, not joins it.
    this.agents = syncGuard(new SqliteAgents(this.db), this.gate, 'agents');
    this.results = syncGuard(new SqliteResults(this.db), this.gate, 'results');
    this.auth = new SqliteAuth(this.db);
    // Made once: `db.transaction(fn)` builds a new wrapper on every call. Called inside itself it is a savepoint.
    this.runInTransaction = this.db.transaction((fn: () => unknown) => fn());

    this.management = asyncFacade<ManagementRepository>(new SqliteManagement(this.db), this.gate);
    this.delivery = syncGuard(new SqliteDelivery(this.db), this.gate, 'delivery');
    this.storage = asyncFacade<StorageRepository>(new SqliteStorage(this.db), this.gate);
    this.availability = syncGuard(new SqliteAvailability(this.db), this.gate, 'availability');
    this.maintenance = syncGuard(new SqliteMaintenance(this.db), this.gate, 'maintenance');
    this.alerts = syncGuard(new SqliteAlerts(this.db), this.gate, 'alerts');
    this.alertResults = syncGuard(new SqliteAlertResults(this.db), this.gate, 'alertResults');
    this.agentSilences = syncGuard(new SqliteAgentSilences(this.db), this.gate, 'agentSilences');
    this.recipients = syncGuard(new SqliteRecipients(this.db), this.gate, 'recipients');
    this.reportSends = asyncFacade<ReportSendRepository>(new SqliteReportSends(this.db), this.gate);
    // The outbox's withdrawal un-announces check alerts by SQL: their cached versions are read again.
    this.outbox = syncGuard(new SqliteOutbox(this.db, (agentId) => this.alerts.forgetAgent(agentId)), this.gate, 'outbox');
    this.jobRuns = asyncFacade<JobRunRepository>(new SqliteJobRuns(this.db), this.gate);
    this.channelSettings = asyncFacade<ChannelSettingsRepository>(new SqliteSavedSettings(this.db, 'channel_settings'), this.gate);
    this.reportSettings = asyncFacade<ReportSettingsRepository>(new SqliteSavedSettings(this.db, 'report_settings'), this.gate);
    this.statusPages = asyncFacade<StatusPageRepository>(new SqliteStatusPages(this.db), this.gate);
    this.upgradeSettings = asyncFacade<UpgradeSettingsRepository>(new SqliteUpgradeSettings(this.db), this.gate);
    this.databaseInfo = asyncFacade<DatabaseInfoRepository>(new SqliteDatabaseInfo(this.db), this.gate);
    this.patchHistory = asyncFacade<PatchHistoryRepository>(new SqlitePatchHistory(this.db), this.gate);
  }

  transaction<T>(fn: () => T): T {
    // It cannot wait for an asynchronous unit of work of another context: it would become part of it.
    this.gate.assertFree('a synchronous transaction');
    const outermost = !this.db.inTransaction;
    try {
      const result = this.runInTransaction(fn) as T; // the wrapper returns what fn returns
      // The alerts repository remembers what a transaction read and wrote only once it is committed (alerts.ts).
      if (outermost) this.alerts.committed();
      return result;
    } catch (error) {
      this.alerts.rolledBack();
      throw error;
    }
  }

  unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    return this.gate.transaction(work, (committed) => (committed ? this.alerts.committed() : this.alerts.rolledBack()));
  }

  ensureClient(name: string, now: number): Client {
    return this.agents.ensureClient(name, now);
  }

  findClient(idOrName: string | number): Client | undefined {
    return this.agents.findClient(idOrName);
  }

  listClients(): Client[] {
    return this.agents.listClients();
  }

  createEnrollToken(tokenHash: string, clientId: number, now: number, expiresAt: number): void {
    this.agents.createEnrollToken(tokenHash, clientId, now, expiresAt);
  }

  enrollAgent(tokenHash: string, agent: { id: string; name: string; secretHash: string; platform: string; agentVersion: string }, now: number) {
    return this.agents.enrollAgent(tokenHash, agent, now);
  }

  agentCredentials(agentId: string) {
    return this.agents.agentCredentials(agentId);
  }

  revokeAgent(agentId: string, now: number): boolean {
    return this.agents.revokeAgent(agentId, now);
  }

  getAgent(agentId: string): AgentRecord | undefined {
    return this.agents.getAgent(agentId);
  }

  listAgents(clientId?: number): AgentRecord[] {
    return this.agents.listAgents(clientId);
  }

  recordHello(agentId: string, hello: HelloInfo): void {
    this.agents.recordHello(agentId, hello);
  }

  setConnected(agentId: string, connected: boolean, now: number): void {
    this.agents.setConnected(agentId, connected, now);
  }

  resetConnections(): void {
    this.agents.resetConnections();
  }

  recordSeen(agentId: string, seenAt: number, backlog?: number): void {
    this.agents.recordSeen(agentId, seenAt, backlog);
  }

  assignChecks(agentId: string, checks: CheckConfig[]): number {
    return this.agents.assignChecks(agentId, checks);
  }

  assignedConfig(agentId: string) {
    return this.agents.assignedConfig(agentId);
  }

  listChecks(agentId?: string): CheckRecord[] {
    return this.agents.listChecks(agentId);
  }

  listClientChecks(clientId: number): CheckRecord[] {
    return this.agents.listClientChecks(clientId);
  }

  insertResults(agentId: string, batch: Result[], receivedAt: number): InsertOutcome {
    return this.results.insertResults(agentId, batch, receivedAt);
  }

  insertGap(agentId: string, gap: Gap): void {
    this.results.insertGap(agentId, gap);
  }

  countResults(agentId: string): number {
    return this.results.countResults(agentId);
  }

  resultsBetween(agentId: string, checkId: string, from: number, to: number): Result[] {
    return this.results.resultsBetween(agentId, checkId, from, to);
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

  close(): void {
    if (this.db.open) this.db.close();
  }
}
