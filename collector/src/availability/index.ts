/**
 * Availability: the number the consultant sells, computed exactly (docs/availability.md).
 *
 * For other modules (dashboard, alerting, reports) — all synchronous, all times integer ms UTC, `src` is
 * the Store (or just its `availability` and `maintenance` repositories, collector/src/store):
 *
 * - `availabilityFor(src, scope, id, window, now)` → AvailabilityFigure: UP/DOWN/UNKNOWN/MAINTENANCE ms,
 *   availability (null without data), availabilityPercent (rounded down), coverage, met, error budget.
 *   scope 'check' (id "agentId/checkId"), 'host' (agent id), 'client' (id or name); window '24h' | '7d' |
 *   '30d' | 'month' | 'YYYY-MM' (calendar month in the client's time zone) | {from, to}.
 * - `incidents(src, scope, id, window, now)` → DOWN spans with start, end, duration, cause, ongoing.
 * - `totalsOfChecks(src, checks, from, to)`, `ongoingIncidentCount(src, checks, from, now)`: the same for many checks at
 *   once, a few statements for all of them (many-checks.ts).
 * - `errorBudget(totals, targetPpm, windowMs, weight)` (the window's budget, pro rata so far, the verdict's), `targetMet(totals, targetPpm)`,
 *   `percentFloor(up, measured)`, `partialData(totals)` (coverage < PARTIAL_COVERAGE_BELOW, 90 %).
 * - `isInMaintenance(src, {agentId, checkId}, at)` → the window a check is in, or undefined.
 * - `createMaintenance` / `listMaintenance` / `deleteMaintenance`, `setCheckSla` (critical / weight).
 * - Rollups: `markResults` / `markAgent` (what ingest events call), `flushRollups(src)`; `startAvailability(ctx)`
 *   wires them to the collector's events and timers (registered by availability/plugin.ts as `app.availability`).
 * - Pure: `checkSegments`, `hostSegments`, `totalsOf` (timeline.ts), `occurrences` (maintenance.ts),
 *   `monthRange`, `fromLocal`, `toLocal` (zoned-time.ts).
 */
export { availabilityFor, checkTotals, hostTotals, clientTotals, figureOf, scopeTarget, type AvailabilityFigure, type Scope } from './query.ts';
export { incidents, type Incident } from './incidents.ts';
export { totalsOfChecks, ongoingIncidentCount } from './many-checks.ts';
export { checkStates, type StateSpan } from './states.ts';
export { errorBudget, targetMet, percentFloor, coverageOf, partialData, allowedDowntime, PPM, PARTIAL_COVERAGE_BELOW, type ErrorBudget } from './budget.ts';
export { isInMaintenance, createMaintenance, listMaintenance, deleteMaintenance, type MaintenanceInput } from './maintenance-store.ts';
export { setCheckSla } from './sla.ts';
export { markResults, markAgent, markDirty, flushRollups, queueResultMarks, writeQueuedMarks, HOUR_MS } from './rollups.ts';
export { startAvailability } from './service.ts';
export { applyRetention, RETENTION_DEFAULTS, type Retention } from './retention.ts';
export { clientInfo, checksOfClient, coveredChecksOfClient, checksOfAgent, agentsOfClient, DEFAULT_TARGET_PPM, type AvailabilitySource, type CheckInfo, type ClientInfo } from './source.ts';
export { addTotals, checkSegments, emptyTotals, hostSegments, totalsOf, type StateTotals, type Segment, type SpanState } from './timeline.ts';
export { occurrences, type MaintenanceWindow, type Recurrence } from './maintenance.ts';
export { resolveWindow, type WindowSpan } from './windows.ts';
export { monthRange, monthOf, fromLocal, toLocal, isValidTimeZone } from './zoned-time.ts';
