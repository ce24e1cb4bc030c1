import { Type, type Static } from '@sinclair/typebox';
import type { AlertingService } from './service.ts';

/** What /healthz?detail=true shows of alerting, without auth: counts and times only, no addresses or error texts (those go to the log). */
export const AlertingHealthDetailSchema = Type.Object({
  started: Type.Boolean(),
  deliveryConfigured: Type.Boolean(),
  /** Several sends in a row failed: mail is not going out. */
  deliveryFailing: Type.Boolean(),
  consecutiveFailures: Type.Integer(),
  lastSuccessAt: Type.Union([Type.Integer(), Type.Null()]),
  lastFailureAt: Type.Union([Type.Integer(), Type.Null()]),
  pendingDigests: Type.Integer(),
  waitingNotices: Type.Integer(),
  failedDigests: Type.Integer(),
  oldestPendingAt: Type.Union([Type.Integer(), Type.Null()]),
  deadManLastPingAt: Type.Union([Type.Integer(), Type.Null()]),
  deadManFailing: Type.Boolean(),
  /** A fallback SMTP is configured to tell the consultant when alert mail is failing. */
  fallbackConfigured: Type.Boolean(),
  /** When the fallback told the consultant that alert mail is failing; null when no such notice stands. */
  fallbackNoticeSentAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type AlertingHealthDetail = Static<typeof AlertingHealthDetailSchema>;

export async function alertingHealthDetail(service: AlertingService): Promise<AlertingHealthDetail> {
  const h = await service.health();
  return {
    started: service.isStarted, deliveryConfigured: h.delivery.configured, deliveryFailing: h.delivery.failing, consecutiveFailures: h.delivery.consecutiveFailures,
    lastSuccessAt: h.delivery.lastSuccessAt, lastFailureAt: h.delivery.lastFailureAt, pendingDigests: h.outbox.pendingDigests, waitingNotices: h.outbox.waitingNotices,
    failedDigests: h.outbox.failedDigests, oldestPendingAt: h.outbox.oldestPendingAt, deadManLastPingAt: h.deadMan.lastPingAt, deadManFailing: h.deadMan.lastError !== null,
    fallbackConfigured: h.fallback.configured, fallbackNoticeSentAt: h.fallback.noticeSentAt,
  };
}
