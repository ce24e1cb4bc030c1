import { compareClientRows, type ClientSummary, type OverviewResponse } from '@nines/shared';

/** The overview with one client's row replaced (or added) as the collector pushed it, in the overview's order. */
export function withRow(data: OverviewResponse, row: ClientSummary, at: number): OverviewResponse {
  return { generatedAt: Math.max(data.generatedAt, at), clients: [...data.clients.filter((c) => c.id !== row.id), row].sort(compareClientRows) };
}

/** A client needs someone when a check is not OK or an agent is silent. */
export const needsAttention = (row: ClientSummary) => (row.worst !== null && row.worst !== 'OK') || row.agentsSilent > 0;
