/**
 * GET /metrics in the Prometheus text exposition format (version 0.0.4). Aggregates only — no client,
 * agent or check names — because the endpoint is unauthenticated like /healthz: scrape it over
 * loopback or a private network (docs/operations.md).
 */
import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../../context.ts';
import type { Store } from '../../store/store.ts';
import type { StorageFacts } from '../../store/storage.ts';

// Always exported, zero included, so a dashboard's series exist before the first alert (alerting/state-machine.ts).
const ALERT_STATES = ['OK', 'PENDING', 'FIRING', 'RESOLVING', 'FLAPPING'];

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Counters since this collector started, fed by the post-commit events. */
export interface IngestCounters {
  results: number;
  batches: number;
  gaps: number;
  connects: number;
  disconnects: number;
}

type Sample = [labels: Record<string, string>, value: number];
interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: Sample[];
}

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.nines;
  const counters: IngestCounters = { results: 0, batches: 0, gaps: 0, connects: 0, disconnects: 0 };
  // This collector's own ingest: what another collector sharing the database stored is counted by that one.
  const onResults = ({ inserted, remote }: { inserted: unknown[]; remote?: unknown }) => {
    if (remote) return;
    counters.results += inserted.length;
    counters.batches++;
  };
  const onGap = ({ remote }: { remote?: true }) => void (remote || counters.gaps++);
  // A mark released for a collector that is gone was that collector's socket, not one of this collector's.
  const onConnection = ({ connected, remote, released }: { connected: boolean; remote?: true; released?: true }) =>
    void (remote || released || (connected ? counters.connects++ : counters.disconnects++));
  ctx.events.on('resultsStored', onResults);
  ctx.events.on('gapStored', onGap);
  ctx.events.on('agentConnection', onConnection);
  app.addHook('onClose', async () => {
    ctx.events.off('resultsStored', onResults);
    ctx.events.off('gapStored', onGap);
    ctx.events.off('agentConnection', onConnection);
  });

  app.get('/metrics', { config: { access: 'public' } }, async (_request, reply) => {
    reply.header('content-type', METRICS_CONTENT_TYPE);
    return renderMetrics(await collectMetrics(ctx, counters));
  });
}

export async function collectMetrics(ctx: Pick<CollectorContext, 'store' | 'clock' | 'connections' | 'hub' | 'version' | 'startedAt'>, counters: IngestCounters): Promise<Family[]> {
  const agents = await ctx.store.listAgents();
  const families: Family[] = [
    gauge('nines_build_info', 'Collector version (always 1).', [[{ version: ctx.version }, 1]]),
    gauge('nines_uptime_seconds', 'Seconds since this collector started.', [[{}, Math.max(0, (ctx.clock() - ctx.startedAt) / 1000)]]),
    gauge('nines_agents_enrolled', 'Agents enrolled and not revoked.', [[{}, agents.filter((a) => a.revokedAt === null).length]]),
    gauge('nines_agents_connected', 'Agents with an open WebSocket to this collector.', [[{}, ctx.connections.count]]),
    gauge('nines_agents_backlog_results', 'Results the agents reported as spooled and not yet sent.', [[{}, agents.reduce((sum, a) => sum + a.backlog, 0)]]),
    gauge('nines_live_subscribers', 'Dashboards connected to the live feed.', [[{}, ctx.hub.size]]),
    counter('nines_results_ingested_total', 'Results stored since start (replayed duplicates not counted).', counters.results),
    counter('nines_result_batches_total', 'Result batches committed since start.', counters.batches),
    counter('nines_spool_gaps_total', 'Spool gaps (results an agent had to drop) recorded since start.', counters.gaps),
    { name: 'nines_agent_connections_total', help: 'Agent connections opened and closed since start.', type: 'counter', samples: [[{ event: 'open' }, counters.connects], [{ event: 'close' }, counters.disconnects]] },
  ];
  const memory = process.memoryUsage();
  families.push(
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [[{}, memory.rss]]),
    gauge('nodejs_heap_used_bytes', 'V8 heap in use, bytes.', [[{}, memory.heapUsed]]),
  );
  families.push(...storageMetrics(await ctx.store.storage.facts()));
  families.push(...await alertingMetrics(ctx.store));
  return families;
}

/** The outbox's queue and the alerts per state (zero before alerting ever ran). */
async function alertingMetrics(store: Pick<Store, 'outbox' | 'alerts'>): Promise<Family[]> {
  const outbox = await store.outbox.stats();
  const counts = new Map(ALERT_STATES.map((s) => [s, 0]));
  for (const [state, n] of await store.alerts.countByState()) counts.set(state, n);
  return [
    gauge('nines_outbox_depth', 'Notifications waiting: outbox rows not yet in a mail, and mails not yet sent.', [[{ stage: 'grouping' }, outbox.waitingNotices], [{ stage: 'sending' }, outbox.pendingDigests]]),
    gauge('nines_outbox_failed_messages', 'Mails given up after all retries.', [[{}, outbox.failedDigests]]),
    gauge('nines_alerts', 'Alerts by state of the alert state machine.', [...counts].map(([state, n]) => [{ state }, n])),
  ];
}

/** Size on disk, free pages and schema version. */
function storageMetrics(facts: StorageFacts): Family[] {
  return [
    gauge('nines_db_size_bytes', 'Database file size in bytes.', Object.entries(facts.fileBytes).map(([file, bytes]): Sample => [{ file }, bytes])),
    gauge('nines_db_free_pages', 'Free pages inside the database file, reused before it grows.', [[{}, facts.freePages]]),
    gauge('nines_db_schema_version', 'Database schema version (PRAGMA user_version).', [[{}, facts.schemaVersion]]),
  ];
}

function gauge(name: string, help: string, samples: Sample[]): Family {
  return { name, help, type: 'gauge', samples };
}
function counter(name: string, help: string, value: number): Family {
  return { name, help, type: 'counter', samples: [[{}, value]] };
}

const escapeLabel = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
const escapeHelp = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');

export function renderMetrics(families: Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const [labels, value] of f.samples) {
      const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      lines.push(`${f.name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${Number.isFinite(value) ? value : 'NaN'}`);
    }
  }
  return lines.join('\n') + '\n';
}
