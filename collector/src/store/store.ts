import type { Coordination } from './coordination.ts';
import type { CheckConfig, Result, ResultParams, Status, Gap, ApiTokenScope } from '@nines/shared';
// Alerting and outbox repositories.
import type { AlertRepository } from './alerts.ts';
import type { AlertResultRepository } from './alert-results.ts';
import type { AgentSilenceRepository } from './agent-silences.ts';
import type { OutboxRepository } from './outbox.ts';
import type { RecipientRepository } from './recipients.ts';
import type { ReportSendRepository } from './report-sends.ts';
import type { AvailabilityRepository } from './availability.ts';
import type { MaintenanceRepository } from './maintenance.ts';
import type { ManagementRepository } from './management.ts';
import type { DeliveryRepository } from './delivery.ts';
import type { StorageRepository } from './storage.ts';
import type { JobRunRepository } from './job-runs.ts';
import type { ChannelSettingsRepository } from './channel-settings.ts';
import type { ReportSettingsRepository } from './report-settings.ts';
import type { UpgradeSettingsRepository } from './upgrade-settings.ts';
import type { DatabaseInfoRepository } from './database-info.ts';
import type { PatchHistoryRepository } from './patch-history.ts';
import type { StatusPageRepository } from './status-pages.ts';

export interface Client {
  id: number;
  name: string;
  timezone: string;
  language: 'de' | 'en';
}

export interface AgentRecord {
  id: string;
  clientId: number;
  clientName: string;
  name: string;
  hostname: string | null;
  platform: string | null;
  agentVersion: string | null;
  createdAt: number;
  revokedAt: number | null;
  lastSeenAt: number | null;
  connected: boolean;
  clockOffsetMs: number | null;
  backlog: number;
  lastSeq: number;
  configVersion: number;
}

export interface CheckRecord {
  agentId: string;
  id: string;
  kind: string;
  name: string;
  /** Set when the collector assigns the check; null for checks the agent configured locally. */
  config: CheckConfig | null;
  intervalMs: number;
  status: Status | null;
  message: string | null;
  metrics: Record<string, number> | null;
  lastResultAt: number | null;
  /** The latest result's message code and params (shared/src/messages); null from agents that send none. */
  code: string | null;
  params: ResultParams | null;
  /** The check's labels (assigned: from its config; else from its newest result that carried them). */
  labels: string[];
}

export interface HelloInfo {
  hostname: string;
  platform: string;
  agentVersion: string;
  bootId: string;
  clockOffsetMs: number;
  backlog: number;
  seenAt: number;
}

export interface InsertOutcome {
  /** Results newly stored (duplicates of already stored seqs are skipped, not counted). */
  inserted: number;
  /** The highest seq stored for the agent after this batch. */
  lastSeq: number;
  /** Per check, the newest result of this batch that changed the check's latest state. */
  latest: Result[];
  /** The results of the batch that were newly stored, in batch order. */
  newlyStored: Result[];
}

export type EnrollTokenProblem = 'unknown' | 'used' | 'expired';

export interface UserRecord {
  id: number;
  username: string;
  role: 'admin' | 'client';
  clientId: number | null;
  language: string | null;
}

/** A live browser session: whose, and until when (the live socket closes at that moment). */
export interface SessionGrant {
  user: UserRecord;
  expiresAt: number;
}

/** A valid API token: whose, what it may do, until when (null = never). */
export interface ApiTokenGrant {
  user: UserRecord;
  tokenId: number;
  scope: ApiTokenScope;
  expiresAt: number | null;
}

/**
 * Everything the collector keeps. Two implementations: SQLite (store/sqlite, the default) and PostgreSQL (store/postgres, docs/scale.md).
 * The core methods below are agents, checks, results and logins; each further domain has its own
 * repository interface in `store/<domain>.ts`, reached as a property of the Store (`store.availability`,
 * `store.alerts`, …) and implemented in `store/sqlite/<domain>.ts` and `store/postgres/<domain>.ts`. No SQL outside `store/`.
 * All times are integer ms UTC. Every method is asynchronous, so a network database fits behind it; SQLite's
 * synchronous driver is made so by store/sqlite/async-facade.ts.
 */
export interface Store {
  /** Which of the collectors sharing this store leads, and how they tell each other what they committed. */
  readonly coordination: Coordination;
  // Alerting and outbox (alerting/, notify/).
  /** Alerts, their state-machine memory and transitions; `unitOfWork` makes one unit of alerting writes. */
  readonly alerts: AlertRepository;
  /** Stored results as alerting reads them: per-agent evaluation cursors, and the history a notice quotes. */
  readonly alertResults: AlertResultRepository;
  /** Spans in which an agent was silent. */
  readonly agentSilences: AgentSilenceRepository;
  /** Who is told about alerts. */
  readonly recipients: RecipientRepository;
  /** Monthly and yearly report mails, exactly once (reports/delivery.ts). */
  readonly reportSends: ReportSendRepository;
  /** Queued notices, digests (one mail each), sent and failed. */
  readonly outbox: OutboxRepository;
  /** Availability: checks with their SLA role, raw results and gaps as figures read them, rollup rows and their dirty marks. */
  readonly availability: AvailabilityRepository;
  /** Maintenance windows. */
  readonly maintenance: MaintenanceRepository;
  // Domain repositories (store/<domain>.ts) of management, delivery and ops:
  /** Clients' settings, users, API tokens, agent names: what the dashboard's API manages. */
  readonly management: ManagementRepository;
  /** Silence marks, stored seq spans, lost results, revoked agents: reliable delivery's bookkeeping. */
  readonly delivery: DeliveryRepository;
  /** Sizes and schema version of the storage itself (GET /metrics). */
  readonly storage: StorageRepository;
  /** Runs of scheduled jobs (schedule/): one row per job and slot, claimed before the job runs. */
  readonly jobRuns: JobRunRepository;
  /** Channel settings saved in Management (channel-settings.ts). */
  readonly channelSettings: ChannelSettingsRepository;
  /** Report settings saved through the API (report-settings.ts). */
  readonly reportSettings: ReportSettingsRepository;
  /** The automatic-upgrade switch saved through the API (upgrade-settings.ts). */
  readonly upgradeSettings: UpgradeSettingsRepository;
  /** Since when the database exists (database-info.ts): the scheduler catches up on nothing older. */
  readonly databaseInfo: DatabaseInfoRepository;
  /** Since when patch checks have reported security updates pending (the Monday overview). */
  readonly patchHistory: PatchHistoryRepository;
  /** Clients' public status pages and their notices (status-pages/). */
  readonly statusPages: StatusPageRepository;

  /**
   * One unit of work: whatever `work` writes through any repository, and everything it awaits, commits together
   * when it resolves or not at all when it rejects, and a crash leaves the state before it. Called inside another
   * it is a savepoint: the ingest batcher stores several agents' frames in one unit of work and each frame in its
   * own savepoint; the alert engine keeps its cursor, alert state, transitions and outbox rows consistent with
   * it. Other contexts' calls wait until it ends (SQLite has one connection; a network database gives it its own).
   */
  unitOfWork<T>(work: () => Promise<T>): Promise<T>;
  /**
   * How many units of work may run at once without waiting for each other (unset: 1). SQLite has one connection, so
   * one; PostgreSQL gives each its own connection of the pool. The ingest batcher runs that many side by side.
   */
  readonly parallelUnitsOfWork?: number;
  /** Runs `read` on one consistent snapshot (SQLite: one read transaction), so figures read together agree. */
  snapshot<T>(read: () => Promise<T>): Promise<T>;

  /** The client with this name, created with defaults if it does not exist yet. */
  ensureClient(name: string, now: number): Promise<Client>;
  /** A client by id or name; undefined if none. */
  findClient(idOrName: string | number): Promise<Client | undefined>;
  listClients(): Promise<Client[]>;

  /** Records a hashed enrollment token for a client, valid until expiresAt. */
  createEnrollToken(tokenHash: string, clientId: number, now: number, expiresAt: number): Promise<void>;
  /**
   * Spends a token and creates the agent in one transaction, so a token enrolls exactly one agent.
   * Returns the problem instead when the token is unknown, used or expired.
   */
  enrollAgent(
    tokenHash: string,
    agent: { id: string; name: string; secretHash: string; platform: string; agentVersion: string },
    now: number,
  ): Promise<{ clientId: number } | { problem: EnrollTokenProblem }>;

  /** The stored secret hash and revocation time of an agent, for authentication at the upgrade. */
  agentCredentials(agentId: string): Promise<{ secretHash: string; revokedAt: number | null } | undefined>;
  /** Marks an agent revoked; it is refused from then on. Returns false if there is no such agent. */
  revokeAgent(agentId: string, now: number): Promise<boolean>;
  getAgent(agentId: string): Promise<AgentRecord | undefined>;
  listAgents(clientId?: number): Promise<AgentRecord[]>;
  /** Stores what the agent told in its hello. */
  recordHello(agentId: string, hello: HelloInfo): Promise<void>;
  /**
   * Marks an agent's socket open or closed on this collector (read by `status --json` from another process). Returns
   * whether the mark changed: a close is false when the agent is marked as another collector's by then.
   */
  setConnected(agentId: string, connected: boolean, now: number): Promise<boolean>;
  /**
   * Releases this collector's marks: at start-up after a crash and at shutdown. On SQLite that is every mark; on a
   * shared store those of this run only (another collector's are its own).
   */
  resetConnections(): Promise<void>;
  /**
   * Releases the marks of collectors that are gone without closing their sockets (kill -9, a lost host); returns the
   * agents released. The leader calls it when a collector left; on SQLite there are none.
   */
  releaseOrphanedConnections(): Promise<string[]>;
  /** Updates last-seen time and the agent's reported spool backlog. */
  recordSeen(agentId: string, seenAt: number, backlog?: number): Promise<void>;

  /** Replaces the checks the collector assigns to an agent and bumps its config version. */
  assignChecks(agentId: string, checks: CheckConfig[]): Promise<number>;
  /** The assigned checks and their version, as sent in the `config` message. */
  assignedConfig(agentId: string): Promise<{ version: number; checks: CheckConfig[] }>;
  /** The checks of one client's agents, selected in SQL (a tenant's request must not read other tenants' rows). */
  listClientChecks(clientId: number): Promise<CheckRecord[]>;
  listChecks(agentId?: string): Promise<CheckRecord[]>;

  /**
   * Stores a batch in one transaction, idempotent on (agent, seq): a replayed seq is skipped.
   * Updates each check's latest state only from results newer than what it has.
   */
  insertResults(agentId: string, batch: Result[], receivedAt: number): Promise<InsertOutcome>;
  /** Records a span of results the agent's spool dropped; availability counts it UNKNOWN. */
  insertGap(agentId: string, gap: Gap): Promise<void>;
  /** Number of results ever stored for an agent (a counter: retention deleting raw rows does not lower it). */
  countResults(agentId: string): Promise<number>;
  /** Raw results of one check in [from, to), oldest first. */
  resultsBetween(agentId: string, checkId: string, from: number, to: number): Promise<Result[]>;

  createUser(user: { username: string; passwordHash: string; role: 'admin' | 'client'; clientId?: number | null }, now: number): Promise<number>;
  findUserByName(username: string): Promise<(UserRecord & { passwordHash: string }) | undefined>;
  countUsers(): Promise<number>;
  createSession(idHash: string, userId: number, now: number, expiresAt: number): Promise<void>;
  /** The user of a live session; undefined when unknown or expired. */
  session(idHash: string, now: number): Promise<SessionGrant | undefined>;
  deleteSession(idHash: string): Promise<void>;
  /** Returns the new token's id. Tokens made without options are scope 'admin' without expiry, as every token was before scopes. */
  createApiToken(tokenHash: string, userId: number, name: string, now: number, options?: { scope?: ApiTokenScope; expiresAt?: number | null }): Promise<number>;
  /** The grant of an API token (and notes its use); undefined when unknown or expired. */
  apiToken(tokenHash: string, now: number): Promise<ApiTokenGrant | undefined>;

  /** Closes the database (SQLite's file; PostgreSQL's pool, once its queries have ended). */
  close(): Promise<void>;
}
