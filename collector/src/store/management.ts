import type { ApiTokenInfo, ClientInfo, UserInfo } from '@nines/shared';

/** A client's settings as the dashboard edits them; each one left out keeps its stored value. */
export interface ClientSettings {
  name?: string;
  timezone?: string;
  language?: 'de' | 'en';
  /** The client's SLA target as a fraction (0.999 = 99.9 %). */
  slaTarget?: number;
}

/**
 * What only the dashboard and its API read and change: clients' settings, users, API tokens, agent
 * names, a check's latest details. Reached as `store.management`.
 */
export interface ManagementRepository {
  /** Every client with its settings, by name; only those in `ids` unless it is null (an admin sees all). */
  listClients(ids: ReadonlySet<number> | null): Promise<ClientInfo[]>;
  /** One client with its settings; undefined if there is none with this id. */
  getClient(id: number): Promise<ClientInfo | undefined>;
  /** Whether another client (not `exceptId`) already has this exact name. */
  clientNameTaken(name: string, exceptId?: number): Promise<boolean>;
  /** Creates a client (name trimmed); settings left out get the defaults (Europe/Berlin, de, 99.9 %). */
  createClient(client: ClientSettings & { name: string }, now: number): Promise<ClientInfo>;
  /** Changes the given settings of a client; undefined if there is no such client. */
  updateClient(id: number, changes: ClientSettings): Promise<ClientInfo | undefined>;
  /** Renames an agent (name trimmed); false if there is no such agent. */
  renameAgent(agentId: string, name: string): Promise<boolean>;
  /** The details (e.g. a patch check's package list) of a check's newest result; null when it had none. */
  latestDetails(agentId: string, checkId: string): Promise<unknown>;

  /** Every user, by username. */
  listUsers(): Promise<UserInfo[]>;
  /** One user; undefined if there is none with this id. */
  getUser(id: number): Promise<UserInfo | undefined>;
  /** Sets a user's UI language; null follows the browser. */
  setUserLanguage(id: number, language: 'de' | 'en' | null): Promise<void>;
  /** Number of users with the admin role (the last one must not be deleted). */
  countAdmins(): Promise<number>;
  /** Deletes a user and with it its sessions and API tokens; false if there was no such user. */
  deleteUser(id: number): Promise<boolean>;

  /** Every API token (never its secret), oldest first. */
  listApiTokens(): Promise<ApiTokenInfo[]>;
  /** Deletes an API token; false if there was no such token. */
  deleteApiToken(id: number): Promise<boolean>;
}
