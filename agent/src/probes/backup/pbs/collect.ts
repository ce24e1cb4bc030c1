import { readFile } from 'node:fs/promises';
import { Agent, PROBE_CONNECT, request } from '../../../undici-core.ts';
import { netFailureMessage, type BackupConfigOf } from '@nines/shared';
import type { CheckContext } from '../../../checks/check.ts';
import { errorMessage } from '../../../checks/check.ts';
import { readSecret } from '../secrets.ts';
import { BackupProbeError } from '../probe.ts';

const MAX_RESPONSE_BYTES = 8 * 1024 * 1024; // a datastore with thousands of snapshots lists in a few MiB

export interface PbsResponse {
  statusCode: number;
  body: string;
}

/** GET …/admin/datastore/<store>/snapshots with the API token; the raw answer, whatever its status. */
export async function fetchSnapshots(config: BackupConfigOf<'pbs'>, ctx: CheckContext): Promise<PbsResponse> {
  const secret = await readSecret({ file: config.tokenSecretFile, env: config.tokenSecretEnv }, 'PBS token secret');
  if (secret === undefined) throw new BackupProbeError('no PBS token secret configured: set tokenSecretFile or tokenSecretEnv');
  const url = new URL(`api2/json/admin/datastore/${encodeURIComponent(config.datastore)}/snapshots`, config.url.endsWith('/') ? config.url : `${config.url}/`);
  if (config.namespace !== undefined) url.searchParams.set('ns', config.namespace);
  if (config.backupType !== undefined) url.searchParams.set('backup-type', config.backupType);
  if (config.backupId !== undefined) url.searchParams.set('backup-id', config.backupId);
  let ca: string | undefined;
  if (config.caFile !== undefined) {
    try {
      ca = await readFile(config.caFile, 'utf8');
    } catch (error) {
      throw new BackupProbeError(`cannot read the CA file ${config.caFile}: ${errorMessage(error)}`);
    }
  }
  const dispatcher = new Agent({ connect: { ...PROBE_CONNECT, ca, rejectUnauthorized: config.insecureTls !== true } });
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { authorization: `PBSAPIToken=${config.tokenId}:${secret}`, accept: 'application/json', 'user-agent': 'nines-agent' },
      signal: ctx.signal,
      dispatcher,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) throw new BackupProbeError(`PBS answer larger than ${MAX_RESPONSE_BYTES} bytes: narrow it with backupType/backupId`);
    }
    // decoded once at the end, so a character split across chunks stays whole
    return { statusCode: response.statusCode, body: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    if (error instanceof BackupProbeError) throw error;
    const failure = netFailureMessage(error, config.url, ctx.signal.aborted ? { timedOutAfterMs: ctx.timeoutMs } : {});
    throw new BackupProbeError(`cannot reach the Proxmox Backup Server: ${failure.message}`, 'UNKNOWN', { cause: error, coded: { code: failure.code, params: failure.params } });
  } finally {
    await dispatcher.close();
  }
}
