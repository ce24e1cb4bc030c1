import { Type, type Static } from '@sinclair/typebox';

/**
 * A client's public status page (docs/status-pages.md): the services the consultant chose, under friendly names,
 * their state now and their daily availability, and notices he wrote. Only what is configured here is shown:
 * never a host name, check id or check message.
 */

/** Days of availability bars on the page and the span of its uptime figure. */
export const STATUS_PAGE_DAYS = 90;
/** Services one page shows at most (each costs STATUS_PAGE_DAYS reads of day rows). */
export const STATUS_PAGE_MAX_SERVICES = 50;
/** Ended notices stay on the page this long, under "earlier". */
export const STATUS_NOTICE_KEEP_MS = 7 * 86_400_000;
/** Planned maintenance is announced from this long before it starts. */
export const STATUS_NOTICE_AHEAD_MS = 14 * 86_400_000;

const text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
/** German is required (the clients are German-speaking); English falls back to it when missing. */
const Localized = (maxLength: number) => Type.Object({ de: text(maxLength), en: Type.Optional(text(maxLength)) }, { additionalProperties: false });
export const StatusPageTextSchema = Localized(120);
export type StatusPageText = Static<typeof StatusPageTextSchema>;

export const StatusPageServiceSchema = Type.Object(
  {
    check: Type.String({ pattern: '^[^/]{1,100}/[^/]{1,64}$', description: 'agentId/checkId of one of the client\'s checks' }),
    name: StatusPageTextSchema,
  },
  { additionalProperties: false },
);
export type StatusPageService = Static<typeof StatusPageServiceSchema>;

/** PUT /api/v1/clients/:client/status-page */
export const StatusPageConfigSchema = Type.Object(
  {
    enabled: Type.Boolean({ description: 'false: the link answers 404 (kept, so turning it on again needs no new link)' }),
    title: Type.Optional(StatusPageTextSchema),
    services: Type.Array(StatusPageServiceSchema, { maxItems: STATUS_PAGE_MAX_SERVICES }),
  },
  { additionalProperties: false },
);
export type StatusPageConfig = Static<typeof StatusPageConfigSchema>;

export const StatusNoticeKindSchema = Type.Union([Type.Literal('maintenance'), Type.Literal('incident'), Type.Literal('info')]);
export type StatusNoticeKind = Static<typeof StatusNoticeKindSchema>;

/** POST /api/v1/clients/:client/status-page/notices */
export const StatusNoticeInputSchema = Type.Object(
  {
    kind: StatusNoticeKindSchema,
    title: StatusPageTextSchema,
    body: Type.Optional(Localized(2000)),
    from: Type.Integer({ minimum: 0, description: 'ms UTC' }),
    to: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'ms UTC; null or absent: until removed' })),
  },
  { additionalProperties: false },
);
export type StatusNoticeInput = Static<typeof StatusNoticeInputSchema>;

/** A service's state as the page shows it; WARN counts as up, as it does for availability. */
export type PublicState = 'up' | 'down' | 'maintenance' | 'unknown';
/** One day's bar: no downtime, some but within the target, below the target, only maintenance, nothing measured. */
export type DayLevel = 'ok' | 'partial' | 'down' | 'maintenance' | 'none';

/** What the page shows, in one language (GET /status/:token/json). */
export interface StatusPageView {
  title: string;
  brand: string;
  language: 'de' | 'en';
  timeZone: string;
  generatedAt: number;
  overall: PublicState;
  /** The client's target in percent ("99.9"). */
  targetPercent: string;
  services: Array<{
    /** 1-based position on the page: the badge URLs use it, so no internal id is published. */
    position: number;
    name: string;
    state: PublicState;
    /** Over the page's days, rounded down ("99.953"); null without data. */
    uptimePercent: string | null;
    /** Whether that figure meets the client's target; null without data. */
    met: boolean | null;
    days: Array<{ date: string; level: DayLevel; percent: string | null; downMs: number }>;
  }>;
  notices: Array<{ kind: StatusNoticeKind; title: string; body: string | null; from: number; to: number | null; phase: 'upcoming' | 'current' | 'ended' }>;
}
