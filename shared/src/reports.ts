/**
 * The `reports:` section of the collector's YAML: when the monthly, yearly and weekly reports go out, and how they
 * are branded. Times are local clock times in the client's zone (monthly, yearly) or the consultant's (weekly).
 */
import { Type, type Static } from '@sinclair/typebox';

const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'local time HH:MM' });

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export const ReportBrandingSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: "the consultant's company name on every report; default alerting.brand" })),
    logoFile: Type.Optional(Type.String({ minLength: 1, description: 'a PNG or JPEG file printed at the top of each PDF page' })),
    contact: Type.Optional(Type.String({ maxLength: 500, description: 'address, phone, e-mail: one or more lines under the logo' })),
    footer: Type.Optional(Type.String({ maxLength: 300, description: 'a line at the foot of each page' })),
  },
  { additionalProperties: false },
);
export type ReportBranding = Static<typeof ReportBrandingSchema>;

export const MonthlyReportSettingsSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
    day: Type.Optional(Type.Integer({ minimum: 1, maximum: 28, description: "day of the month last month's report is sent, in the client's zone; default 1" })),
    at: Type.Optional(ClockTime),
    copyToConsultant: Type.Optional(Type.Boolean({ description: 'a copy to each consultant e-mail contact point; default true' })),
  },
  { additionalProperties: false, description: "last month's report as PDF to each client's report recipients; default the 1st at 08:00" },
);

export const YearlyReportSettingsSchema = Type.Object(
  { enabled: Type.Optional(Type.Boolean({ description: 'default true' })), at: Type.Optional(ClockTime) },
  { additionalProperties: false, description: "last year's summary (each month against the target) on 1 January; default 08:00" },
);

export const WeeklyReportSettingsSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
    weekday: Type.Optional(Type.Union(WEEKDAYS.map((d) => Type.Literal(d)), { description: 'default monday' })),
    at: Type.Optional(ClockTime),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "the consultant's IANA zone; default Europe/Berlin" })),
    language: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')], { description: 'default de' })),
  },
  { additionalProperties: false, description: "the consultant's overview of what needs him this week; default Monday 07:00" },
);

export const ReportsConfigSchema = Type.Object(
  {
    branding: Type.Optional(ReportBrandingSchema),
    monthly: Type.Optional(MonthlyReportSettingsSchema),
    yearly: Type.Optional(YearlyReportSettingsSchema),
    weekly: Type.Optional(WeeklyReportSettingsSchema),
  },
  { additionalProperties: false },
);
export type ReportsConfig = Static<typeof ReportsConfigSchema>;

/** The defaults of the section, in one place. */
export const REPORT_DEFAULTS = {
  monthly: { enabled: true, day: 1, at: '08:00', copyToConsultant: true },
  yearly: { enabled: true, at: '08:00' },
  weekly: { enabled: true, weekday: 'monday', at: '07:00', timezone: 'Europe/Berlin', language: 'de' },
} as const;

/** The most bytes a logo uploaded through the API may have (the PDF prints it 40 mm wide; more is waste). */
export const LOGO_MAX_BYTES = 512 * 1024;

/**
 * Branding as saved through the API and Management: like the YAML's, but the logo comes with the request (base64
 * PNG or JPEG) instead of naming a file on the collector. `logo: null` or left out: no logo; `'keep'`: the one saved before.
 */
export const StoredBrandingSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: "the consultant's company name on every report" })),
    contact: Type.Optional(Type.String({ maxLength: 500, description: 'address, phone, e-mail: one or more lines under the logo' })),
    footer: Type.Optional(Type.String({ maxLength: 300, description: 'a line at the foot of each page' })),
    logo: Type.Optional(Type.Union([
      Type.Object(
        {
          contentType: Type.Union([Type.Literal('image/png'), Type.Literal('image/jpeg')]),
          // base64; the collector checks the decoded size against LOGO_MAX_BYTES and says so (this bound only caps the work)
          data: Type.String({ minLength: 4, maxLength: 2 * LOGO_MAX_BYTES, pattern: '^[A-Za-z0-9+/]+={0,2}$' }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
      // Keeps the logo saved before, so a form can change the texts without sending the image again.
      Type.Literal('keep'),
    ])),
  },
  { additionalProperties: false },
);
export type StoredBranding = Static<typeof StoredBrandingSchema>;

/** The parts of `reports:` that can be saved through the API, each replacing the YAML's part of that name as a whole. */
export const REPORT_SETTING_PARTS = ['monthly', 'yearly', 'weekly', 'branding'] as const;
export type ReportSettingPart = (typeof REPORT_SETTING_PARTS)[number];

/** The body of `PUT /api/v1/report-settings/:part`, by part. */
export const REPORT_SETTING_SCHEMAS = {
  monthly: MonthlyReportSettingsSchema,
  yearly: YearlyReportSettingsSchema,
  weekly: WeeklyReportSettingsSchema,
  branding: StoredBrandingSchema,
} as const;
