import { compileValidator, type ClusterMessage, type ClusterResult, ClusterMessageSchema, type Result } from '@nines/shared';
import type { CollectorEventMap } from '../events.ts';

export type BridgedEvent = { [K in keyof CollectorEventMap]: { name: K; payload: CollectorEventMap[K][0] } }[keyof CollectorEventMap];

const validator = compileValidator(ClusterMessageSchema);
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** A result as it travels: without details and labels, which no listener on another collector reads. */
function lean(r: Result): ClusterResult {
  const { details: _details, labels: _labels, ...rest } = r;
  return rest;
}

/**
 * Pure: the messages that tell other collectors of one local event, each at most `maxBytes` of UTF-8. A stored
 * batch travels as its count and earliest start; changed checks are split over as many messages as they need, and
 * a single result too big for one loses its metrics, then as much of its message as it must — what the others show
 * live; the stored result is whole and every view reads it on its next refresh.
 */
export function messagesOf(event: BridgedEvent, maxBytes: number): string[] {
  const { name, payload } = event;
  if (name === 'resultsStored') {
    const { agentId, clientId, inserted, receivedAt } = payload;
    const from = inserted.reduce((min, r) => Math.min(min, r.startedAt), Number.MAX_SAFE_INTEGER);
    return [JSON.stringify({ e: name, p: { agentId, clientId, count: inserted.length, from: inserted.length > 0 ? from : receivedAt, receivedAt } } satisfies ClusterMessage)];
  }
  if (name === 'checksChanged') {
    const { agentId, clientId } = payload;
    const wrap = (latest: ClusterResult[]) => JSON.stringify({ e: name, p: { agentId, clientId, latest } } satisfies ClusterMessage);
    const out: string[] = [];
    let chunk: ClusterResult[] = [];
    for (const r of payload.latest.map(lean)) {
      if (chunk.length > 0 && bytes(wrap([...chunk, r])) > maxBytes) {
        out.push(wrap(chunk));
        chunk = [];
      }
      chunk.push(bytes(wrap([r])) > maxBytes ? shrunk(r, (x) => bytes(wrap([x])) <= maxBytes) : r);
    }
    if (chunk.length > 0) out.push(wrap(chunk));
    return out;
  }
  // `released` tells this collector's own counters apart; every listener elsewhere sees a disconnect like any other.
  const { remote: _remote, released: _released, ...rest } = payload as typeof payload & { remote?: true; released?: true };
  return [JSON.stringify({ e: name, p: rest } as ClusterMessage)];
}

/** The result without metrics, then with its message cut (by code points, marked with …) until it fits. */
function shrunk(r: ClusterResult, fits: (r: ClusterResult) => boolean): ClusterResult {
  const bare = { ...r, metrics: {} };
  if (fits(bare)) return bare;
  const chars = [...r.message];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits({ ...bare, message: `${chars.slice(0, mid).join('')}…` })) low = mid;
    else high = mid - 1;
  }
  return { ...bare, message: `${chars.slice(0, low).join('')}…` };
}

/** Pure: the event a message from another collector stands for, marked remote; null for what is not one. */
export function eventOf(text: string): BridgedEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!validator.check(value)) return null;
  const message = value as ClusterMessage;
  switch (message.e) {
    case 'resultsStored': {
      const { count, from, ...p } = message.p;
      return { name: 'resultsStored', payload: { ...p, inserted: [], remote: { count, from } } };
    }
    case 'checksChanged':
      return { name: 'checksChanged', payload: { ...message.p, latest: message.p.latest as Result[], remote: true } };
    default:
      return { name: message.e, payload: { ...message.p, remote: true } } as BridgedEvent;
  }
}
