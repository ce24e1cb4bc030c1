import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Coordination, CoordinationHandlers } from '../coordination.ts';

/** The one channel collectors tell each other on. */
const CHANNEL = 'nines_events';
/**
 * The leader's advisory lock: a session lock, so the server frees it the moment the leader's connection ends —
 * a clean stop, a crash or kill -9 (the kernel closes the socket) — and the next collector that asks gets it.
 * Advisory locks are per database: collectors on other databases of the same server do not contend.
 */
const LEADER_LOCK = [0x4e696e65, 1] as const; // 'Nine', 1
/**
 * How the coordination connections name themselves, followed by their collector's instance: so each can count the
 * others, and the leader can tell which collectors' connected marks nobody holds any more (postgres/agents.ts).
 */
export const COORDINATION_APPLICATION = 'nines-collector coordination ';
/**
 * The instances of the collectors running now: the suffix of their coordination sessions' application_name. What a
 * collector marked (an agent's connection, a claimed scheduled run) with an instance not in here is left over from
 * one that is gone. The name is a constant of ours, so it is written into the SQL, not passed.
 */
export const LIVE_COLLECTORS = `(SELECT substr(application_name, ${COORDINATION_APPLICATION.length + 1}) FROM pg_stat_activity
  WHERE datname = current_database() AND starts_with(application_name, '${COORDINATION_APPLICATION}'))`;
/** The leader sweeps for collectors that are gone at least this often (in rounds: a minute at the default 1 s). */
const SWEEP_ROUNDS = 60;
/** The other collectors' coordination sessions on this database (each round asks, with its lock or proof). */
const OTHERS = `(SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, $1) AND pid <> pg_backend_pid())`;

/**
 * Leadership and messages on one dedicated connection (not the pool's: a pooled connection is handed to others,
 * and the lock and LISTEN belong to a session). Every `everyMs` a follower asks for the lock and the leader checks
 * that its connection still answers: when it does not, the leader steps down at once (another may hold the lock by
 * now) and reconnects as a follower. A takeover after the leader died so takes at most `everyMs` plus a round trip.
 */
export class PgCoordination implements Coordination {
  readonly shared = true;
  /** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
  readonly maxMessageBytes = 7_999;
  /** 16 hex characters: with the prefix within PostgreSQL's 63 bytes of application_name. */
  readonly instance = randomBytes(8).toString('hex');
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private isLeading = false;
  private timer: NodeJS.Timeout | null = null;
  private handlers: CoordinationHandlers | null = null;
  private stopped = false;
  /**
   * After losing its connection a collector sits out a few rounds: the others contend first, so a leader on a flaky
   * connection does not win the lock back again and again.
   */
  private quietUntil = 0;
  /** Other collectors' coordination sessions on this database, as of the last round. */
  private others = 0;
  /** Rounds led so far: every SWEEP_ROUNDS-th tells collectorsLeft even when the count of the others did not drop. */
  private roundsLed = 0;
  /** Whether a connection was up before: the next one is a rejoin, told once the round has counted the others. */
  private connectedBefore = false;
  private rejoining = false;
  /** One round at a time: a slow answer is not overtaken by the next timer tick. */
  private round: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly everyMs = 1_000,
  ) {}

  async start(handlers: CoordinationHandlers): Promise<void> {
    this.handlers = handlers;
    this.stopped = false;
    await this.contend();
    if (!this.isLeading) handlers.leading(false);
    this.timer = setInterval(() => void this.contend(), this.everyMs);
    this.timer.unref();
  }

  /** One round: connect if needed, then ask for the lock (a follower) or prove the connection (the leader). */
  private contend(): Promise<void> {
    this.round ??= this.contendOnce().finally(() => (this.round = null));
    return this.round;
  }

  private async contendOnce(): Promise<void> {
    if (this.stopped || performance.now() < this.quietUntil) return;
    try {
      const client = this.client ?? (await this.connect());
      if (this.isLeading) {
        const { rows } = await client.query<{ others: number }>(`SELECT ${OTHERS} AS others`, [COORDINATION_APPLICATION]);
        const others = rows[0]?.others ?? 0;
        // Fewer sessions than a round ago: one left. Once a minute regardless, for one that left while another joined.
        const left = others < this.others || ++this.roundsLed % SWEEP_ROUNDS === 0;
        this.others = others;
        if (left && !this.stopped) await this.handlers?.collectorsLeft?.();
        return;
      }
      const { rows } = await client.query<{ locked: boolean; others: number }>(`SELECT pg_try_advisory_lock($2, $3) AS locked, ${OTHERS} AS others`, [COORDINATION_APPLICATION, ...LEADER_LOCK]);
      this.others = rows[0]?.others ?? 0;
      if (this.rejoining && !this.stopped) {
        // After the count: what the handler publishes (the marks set again) reaches the others.
        this.rejoining = false;
        this.handlers?.rejoined?.();
      }
      if (rows[0]?.locked && !this.stopped) {
        this.setLeading(true);
        // The collector that led before may be the one that is gone: its agents' marks are the new leader's to release.
        await this.handlers?.collectorsLeft?.();
      }
    } catch {
      this.lost();
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, application_name: COORDINATION_APPLICATION + this.instance });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (n) => {
      // Our own NOTIFY comes back to our LISTEN; the other collectors' come from their connections.
      if (n.channel === CHANNEL && n.processId !== (client as unknown as { processID: number }).processID && n.payload !== undefined) this.handlers?.message(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    this.rejoining = this.connectedBefore;
    this.connectedBefore = true;
    return client;
  }

  /** The connection failed or ended: whatever it held is gone, so this collector leads no more. */
  private lost(client: pg.Client | null = this.client): void {
    if (client !== this.client && client !== null) return;
    const old = this.client;
    this.client = null;
    old?.end().catch(() => {});
    if (this.isLeading) this.quietUntil = performance.now() + 3 * this.everyMs;
    this.setLeading(false);
  }

  private setLeading(leading: boolean): void {
    if (this.isLeading === leading) return;
    this.isLeading = leading;
    this.handlers?.leading(leading);
  }

  async publish(text: string): Promise<void> {
    const client = this.client;
    // A collector alone on its database tells nobody: no NOTIFY per batch. One that joins is counted within a
    // round, and what it missed before it was in the database it read its views from at start.
    if (!client || this.stopped || this.others === 0) return;
    try {
      await client.query('SELECT pg_notify($1, $2)', [CHANNEL, text]);
    } catch {
      // Dropped: the listeners' models catch up on their next full refresh; the lost connection is noticed by contend.
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
    const client = this.client;
    this.client = null;
    this.setLeading(false);
    this.handlers = null;
    // Ending the session frees the lock: a follower takes over on its next round instead of after a timeout.
    await client?.end().catch(() => {});
  }
}
