/**
 * Times on chart axes and in the chart legend, in the user's locale like the tables around them
 * (de "02.12. 14:00", en-GB "02/12 14:00"), not uPlot's built-in month-first US templates.
 * Pure: the time zone is the browser's unless a caller (a test) names one.
 */
export interface ChartTimeFormat {
  /** One instant, date and clock: the legend value when hovering a point. */
  point(ms: number): string;
  /** Tick labels: the clock, with the date on the first tick and wherever the day changes; the date alone for day steps. */
  ticks(msList: readonly number[], stepMs: number): string[];
}

const DAY_MS = 86_400_000;

export function chartTimeFormat(locale: string, timeZone?: string): ChartTimeFormat {
  const date = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', timeZone });
  const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  const clockSeconds = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone });
  const dayOf = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
  return {
    point: (ms) => `${date.format(ms)} ${clock.format(ms)}`,
    ticks(msList, stepMs) {
      if (stepMs >= DAY_MS) return msList.map((ms) => date.format(ms));
      const clockOf = stepMs < 60_000 ? clockSeconds : clock;
      return msList.map((ms, i) => {
        const newDay = i === 0 || dayOf.format(ms) !== dayOf.format(msList[i - 1]!);
        return newDay ? `${date.format(ms)} ${clockOf.format(ms)}` : clockOf.format(ms);
      });
    },
  };
}
