/**
 * The bar chart of daily availability: one bar per local day, the target as a line, days without measured time
 * marked as such (never drawn as 100 %), day numbers under the bars and percentages beside the axis.
 */
import type { DailyAvailability } from '../monthly.ts';
import type { Formatter } from '../format.ts';
import type { Messages } from '../messages.ts';
import { PPM } from '../../availability/budget.ts';
import { toLocal } from '../../availability/zoned-time.ts';
import { COLORS, type Box, type ReportDocument } from './layout.ts';
import { pdfText } from './text.ts';

const PLOT_HEIGHT = 120;
const AXIS_WIDTH = 48;
/** Candidate lower ends of the axis: near 100 % a 0–100 scale would show every bar full and the target invisible. */
const AXIS_FLOORS = [99, 98, 95, 90, 80, 50, 0];

export interface ChartBar { label: string; percent: number | null; met: boolean | null }

/** Bars of a month's days: labelled with the local day of the month. */
export function dayBars(days: DailyAvailability[], timeZone: string): ChartBar[] {
  return days.map((d) => ({ label: String(toLocal(d.from, timeZone).day), percent: d.availabilityPercent === null ? null : Number(d.availabilityPercent), met: d.met }));
}

/** Draws the chart at the current position; returns where its plot area lies (tests look there for ink). */
export function drawBarChart(rd: ReportDocument, bars: ChartBar[], targetPpm: number, f: Formatter, m: Messages): Box {
  const doc = rd.doc;
  const target = (targetPpm / PPM) * 100;
  const lowest = Math.min(target, ...bars.map((b) => b.percent ?? 100));
  const floor = AXIS_FLOORS.find((v) => v < lowest) ?? 0;
  rd.ensureSpace(PLOT_HEIGHT + 44);
  const x0 = rd.left + AXIS_WIDTH;
  const y0 = doc.y + 6;
  const width = rd.contentWidth - AXIS_WIDTH;
  const yOf = (percent: number) => y0 + PLOT_HEIGHT * (1 - (Math.max(percent, floor) - floor) / (100 - floor));

  // axis and grid with labels at the floor, the middle and 100 %
  doc.font('Helvetica').fontSize(7).fillColor(COLORS.muted);
  for (const v of [floor, (floor + 100) / 2, 100]) {
    const y = yOf(v);
    doc.moveTo(x0, y).lineTo(x0 + width, y).lineWidth(0.3).strokeColor(COLORS.rule).stroke();
    doc.text(pdfText(f.percent(v.toFixed(1))!), rd.left, y - 3.5, { width: AXIS_WIDTH - 4, align: 'right', lineBreak: false });
  }
  doc.moveTo(x0, y0).lineTo(x0, y0 + PLOT_HEIGHT).lineWidth(0.6).strokeColor(COLORS.muted).stroke();

  const slot = width / Math.max(bars.length, 1);
  const barWidth = Math.max(slot * 0.7, 1);
  bars.forEach((bar, i) => {
    const x = x0 + i * slot + (slot - barWidth) / 2;
    if (bar.percent === null) {
      // no data: a hollow grey box with a cross, so a gap is never mistaken for a full bar
      const h = 10;
      doc.rect(x, y0 + PLOT_HEIGHT - h, barWidth, h).lineWidth(0.6).strokeColor(COLORS.noData).stroke();
      doc.moveTo(x, y0 + PLOT_HEIGHT - h).lineTo(x + barWidth, y0 + PLOT_HEIGHT).moveTo(x + barWidth, y0 + PLOT_HEIGHT - h).lineTo(x, y0 + PLOT_HEIGHT).stroke();
    } else {
      const top = yOf(bar.percent);
      doc.rect(x, top, barWidth, Math.max(y0 + PLOT_HEIGHT - top, 1)).fill(bar.met === false ? COLORS.notMet : COLORS.met);
    }
    doc.font('Helvetica').fontSize(6.5).fillColor(COLORS.muted).text(pdfText(bar.label), x0 + i * slot, y0 + PLOT_HEIGHT + 3, { width: slot, align: 'center', lineBreak: false });
  });

  const ty = yOf(target);
  doc.moveTo(x0, ty).lineTo(x0 + width, ty).lineWidth(1).dash(3, { space: 2 }).strokeColor(COLORS.target).stroke().undash();

  // legend
  const ly = y0 + PLOT_HEIGHT + 16;
  doc.rect(x0, ly, 8, 8).fill(COLORS.met);
  doc.fillColor(COLORS.muted).text(pdfText(m.met), x0 + 11, ly + 1, { lineBreak: false });
  doc.rect(x0 + 110, ly, 8, 8).fill(COLORS.notMet);
  doc.fillColor(COLORS.muted).text(pdfText(m.chartBelowTarget), x0 + 121, ly + 1, { lineBreak: false });
  doc.rect(x0 + 220, ly, 8, 8).lineWidth(0.6).strokeColor(COLORS.noData).stroke();
  doc.fillColor(COLORS.muted).text(pdfText(m.chartNoData), x0 + 231, ly + 1, { lineBreak: false });
  // the target is named in the legend: beside the axis its label would collide with the 100 % line
  doc.moveTo(x0 + 330, ly + 4).lineTo(x0 + 344, ly + 4).lineWidth(1).dash(3, { space: 2 }).strokeColor(COLORS.target).stroke().undash();
  doc.fillColor(COLORS.target).text(pdfText(`${m.chartTargetLine} ${f.percent(target.toFixed(targetPpm % 1000 === 0 ? 1 : 3))}`), x0 + 348, ly + 1, { lineBreak: false });
  doc.fillColor(COLORS.text);
  doc.y = ly + 16;
  return { page: rd.pageNumber, x: x0, y: y0, width, height: PLOT_HEIGHT };
}
