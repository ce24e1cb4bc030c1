import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { compileValidator, REPORT_SETTING_PARTS, REPORT_SETTING_SCHEMAS, type ReportSettingPart, type StoredBranding } from '@nines/shared';
import { requireAdmin } from '../../auth/guards.ts';
import { NinesError } from '../../errors.ts';
import { isValidTimeZone } from '../../availability/zoned-time.ts';
import { BrandingError, loadStoredBranding } from '../../reports/pdf/branding.ts';
import { nextReportRuns, withDefaults } from '../../reports/settings.ts';

const PartParams = Type.Object({ part: Type.String({ minLength: 1, maxLength: 40 }) });
const validators = Object.fromEntries(REPORT_SETTING_PARTS.map((p) => [p, compileValidator(REPORT_SETTING_SCHEMAS[p])])) as unknown as Record<ReportSettingPart, { check(v: unknown): boolean; errors(v: unknown): string[] }>;

function partOf(raw: string): ReportSettingPart {
  if (!(REPORT_SETTING_PARTS as readonly string[]).includes(raw)) throw new NinesError('NOT_FOUND', `report settings part "${raw}" (use ${REPORT_SETTING_PARTS.join(', ')})`);
  return raw as ReportSettingPart;
}

/** A saved logo as Management shows it: its type and size, not its bytes. */
const logoInfo = (b: StoredBranding) => (b.logo && b.logo !== 'keep' ? { contentType: b.logo.contentType, bytes: Buffer.from(b.logo.data, 'base64').length } : null);

/**
 * GET /api/v1/report-settings: the report settings in effect, each part with where it comes from (stored through
 * the API, the YAML, or the defaults), and the scheduled jobs with their next run. PUT …/:part saves a part, which
 * then replaces the YAML's part of that name whole; DELETE …/:part goes back to the YAML's. Admin only. After a
 * change the report delivery is rebuilt and the scheduler re-armed at once.
 */
export async function reportSettingsRoutes(app: FastifyInstance): Promise<void> {
  const view = async () => {
    const effect = await app.reports.inEffect();
    const saved = new Map((await app.nines.store.reportSettings.list()).map((s) => [s.part, s]));
    const file = app.reports.fileReports;
    const next = nextReportRuns(effect, (await app.nines.store.listClients()).map((c) => c.timezone), app.nines.clock());
    const parts = REPORT_SETTING_PARTS.map((part) => {
      const s = saved.get(part);
      const base = { part, source: effect.sources[part], updatedAt: s?.updatedAt ?? null, updatedBy: s?.updatedBy ?? null };
      if (part === 'branding') {
        const b = effect.branding;
        const effective = b.source === 'stored'
          ? { name: b.stored.name ?? app.reports.fallbackBrand, contact: b.stored.contact ?? '', footer: b.stored.footer ?? '', logo: logoInfo(b.stored), logoFile: null }
          : { name: b.file?.name ?? app.reports.fallbackBrand, contact: b.file?.contact ?? '', footer: b.file?.footer ?? '', logo: null, logoFile: b.file?.logoFile ?? null };
        const stored = s ? { ...(s.settings as StoredBranding), logo: logoInfo(s.settings as StoredBranding) } : null;
        return { ...base, effective, stored, yaml: file?.branding ?? null };
      }
      return { ...base, nextRunAt: next[part], effective: withDefaults(part, effect.reports[part] as Record<string, unknown> | undefined), stored: s?.settings ?? null, yaml: file?.[part] ?? null };
    });
    return { parts, schedules: await app.schedules.states() };
  };

  const rebuild = async () => {
    await app.reports.reload();
    await app.schedules.reload();
  };
  const apply = async () => {
    await rebuild();
    app.nines.events.emit('settingsChanged', { part: 'reports', at: app.nines.clock() });
  };
  // Saved on another collector sharing the database: this one's reports and schedules follow.
  const onSettings = ({ part, remote }: { part: string; remote?: true }) =>
    void (remote && part === 'reports' && rebuild().catch((err: unknown) => app.log.error({ err }, 'could not apply the report settings another collector saved')));
  app.nines.events.on('settingsChanged', onSettings);
  app.addHook('onClose', async () => void app.nines.events.off('settingsChanged', onSettings));

  app.get('/api/v1/report-settings', { config: { access: 'admin' } }, async (request) => {
    requireAdmin(request);
    return view();
  });

  app.put('/api/v1/report-settings/:part', { config: { access: 'admin' }, schema: { params: PartParams, body: Type.Record(Type.String(), Type.Unknown()) } }, async (request) => {
    const identity = requireAdmin(request);
    const part = partOf((request.params as { part: string }).part);
    const body = request.body as Record<string, unknown>;
    // Checked here, not by the route schema: Fastify would drop an unknown key silently, and a misspelt one must be an error.
    const validator = validators[part];
    if (!validator.check(body)) throw new NinesError('BAD_REQUEST', `bad ${part} settings: ${validator.errors(body).join('; ')}`);
    if (part === 'weekly' && typeof body.timezone === 'string' && !isValidTimeZone(body.timezone)) {
      throw new NinesError('BAD_REQUEST', `bad weekly settings: unknown time zone "${body.timezone}" (use an IANA name such as Europe/Berlin)`);
    }
    const store = app.nines.store.reportSettings;
    const before = (await store.list()).find((s) => s.part === part);
    if (part === 'branding' && body.logo === 'keep') {
      const kept = (before?.settings as StoredBranding | undefined)?.logo;
      if (!kept) throw new NinesError('BAD_REQUEST', 'bad branding: logo "keep" but no logo was saved before');
      body.logo = kept;
    }
    if (part === 'branding') {
      try {
        loadStoredBranding(body as StoredBranding, app.reports.fallbackBrand);
      } catch (error) {
        if (error instanceof BrandingError) throw new NinesError('BAD_REQUEST', `bad branding: ${error.message}`);
        throw error;
      }
    }
    await store.put(part, body, app.nines.clock(), identity.user.username);
    try {
      await apply();
    } catch (error) {
      // Whatever slipped past the checks: the previous settings come back, and the caller learns why.
      if (before) await store.put(part, before.settings, before.updatedAt, before.updatedBy);
      else await store.remove(part);
      await apply();
      throw new NinesError('BAD_REQUEST', `bad ${part} settings: ${(error as Error).message}`);
    }
    request.log.info({ part }, 'report settings saved through the API');
    return view();
  });

  app.delete('/api/v1/report-settings/:part', { config: { access: 'admin' }, schema: { params: PartParams } }, async (request) => {
    requireAdmin(request);
    const part = partOf((request.params as { part: string }).part);
    if (!(await app.nines.store.reportSettings.remove(part))) throw new NinesError('NOT_FOUND', `saved ${part} report settings (the YAML's apply already)`);
    await apply();
    request.log.info({ part }, 'saved report settings deleted; the YAML\'s apply again');
    return view();
  });
}
