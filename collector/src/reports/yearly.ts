/** The yearly summary of a client: each calendar month of the year (client's zone) against the target, and the year. */
import { NinesError } from '../errors.ts';
import { availabilityFor, type AvailabilityFigure } from '../availability/query.ts';
import { fromLocal } from '../availability/zoned-time.ts';
import { clientInfo, type AvailabilitySource, type ClientInfo } from '../availability/source.ts';

export interface YearlyReport {
  client: Pick<ClientInfo, 'id' | 'name' | 'timeZone' | 'language' | 'targetPpm'>;
  year: string;
  generatedAt: number;
  /** The whole year as one window. */
  figure: AvailabilityFigure;
  months: Array<{ month: string; figure: AvailabilityFigure }>;
}

export async function yearlyReport(src: AvailabilitySource, clientIdOrName: string | number, year: string, now: number): Promise<YearlyReport> {
  const client = await clientInfo(src, clientIdOrName);
  if (!client) throw new NinesError('NOT_FOUND', `client ${clientIdOrName}`);
  if (!/^\d{4}$/.test(year)) throw new NinesError('BAD_REQUEST', `year "${year}" (use YYYY)`);
  const y = Number(year);
  const id = String(client.id);
  const window = { from: fromLocal(y, 1, 1, 0, 0, client.timeZone), to: fromLocal(y + 1, 1, 1, 0, 0, client.timeZone) };
  return {
    client: { id: client.id, name: client.name, timeZone: client.timeZone, language: client.language, targetPpm: client.targetPpm },
    year, generatedAt: now,
    figure: await availabilityFor(src, 'client', id, window, now),
    months: await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const month = `${year}-${String(i + 1).padStart(2, '0')}`;
      return { month, figure: await availabilityFor(src, 'client', id, month, now) };
    })),
  };
}
