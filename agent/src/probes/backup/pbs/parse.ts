import type { EpochMs } from '@nines/shared';
import { BackupProbeError } from '../probe.ts';
import type { PbsResponse } from './collect.ts';

/** One snapshot as PBS lists it (pbs-api-types SnapshotListItem, kebab-case JSON). */
export interface PbsSnapshot {
  group: string; // "vm/100"
  backupType: string;
  backupId: string;
  timeMs: EpochMs;
  sizeBytes?: number;
  /** "ok" | "failed"; undefined when never verified. */
  verification?: string;
  verifyTask?: string;
  comment?: string;
  owner?: string;
}

/** The `data` array of a snapshots answer; a non-200 answer becomes an error naming the reason PBS gave. */
export function parseSnapshotsResponse(response: PbsResponse, datastore: string): PbsSnapshot[] {
  let json: { data?: unknown; message?: unknown; errors?: unknown } | undefined;
  try {
    json = JSON.parse(response.body) as typeof json;
  } catch {
    json = undefined;
  }
  if (response.statusCode !== 200) {
    const said = typeof json?.message === 'string' ? json.message.trim() : excerpt(response.body);
    if (response.statusCode === 401) throw new BackupProbeError(`PBS rejected the API token (HTTP 401): ${said}`);
    if (response.statusCode === 403) throw new BackupProbeError(`the API token may not read datastore ${datastore} (HTTP 403, needs Datastore.Audit): ${said}`);
    throw new BackupProbeError(`PBS answered HTTP ${response.statusCode} for datastore ${datastore}: ${said}`);
  }
  if (!json || !Array.isArray(json.data)) throw new BackupProbeError(`PBS answer has no snapshot list: "${excerpt(response.body)}"`);
  return json.data.map((raw, index) => {
    const s = raw as Record<string, unknown>;
    const type = s['backup-type'];
    const id = s['backup-id'];
    const time = s['backup-time'];
    if (typeof type !== 'string' || typeof id !== 'string' || typeof time !== 'number') {
      throw new BackupProbeError(`PBS snapshot ${index} lacks backup-type, backup-id or backup-time: "${excerpt(JSON.stringify(raw))}"`);
    }
    const snapshot: PbsSnapshot = { group: `${type}/${id}`, backupType: type, backupId: id, timeMs: time * 1000 };
    if (typeof s.size === 'number') snapshot.sizeBytes = s.size;
    const verification = s.verification as { state?: unknown; upid?: unknown } | null | undefined;
    if (verification && typeof verification.state === 'string') snapshot.verification = verification.state;
    if (verification && typeof verification.upid === 'string') snapshot.verifyTask = verification.upid;
    if (typeof s.comment === 'string') snapshot.comment = s.comment;
    if (typeof s.owner === 'string') snapshot.owner = s.owner;
    return snapshot;
  });
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
