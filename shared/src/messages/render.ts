/** Renders a stored result per language from its code and params; falls back to the stored text. */
import { isResultMessageCode, type CodedMessage, type ResultMessageCode, type ResultMessageParams, type ResultParams } from './codes.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import type { MessageLanguage } from './format.ts';
import type { Renderers } from './render-types.ts';

const RENDERERS: Record<MessageLanguage, Renderers> = { de, en };

function languageOf(lang: string): MessageLanguage {
  return lang === 'de' ? 'de' : 'en';
}

/**
 * The text a person reads. Results from agents before codes, or with a code this collector does not
 * know (a newer agent), show their stored English message; a renderer that trips over params a
 * newer agent shaped differently does the same rather than failing the page or mail.
 */
export function renderResultMessage(code: string | null | undefined, params: ResultParams | null | undefined, lang: string, fallback: string): string {
  if (!isResultMessageCode(code)) return fallback;
  try {
    const text = (RENDERERS[languageOf(lang)][code] as unknown as (p: ResultParams) => string)(params ?? {});
    return text.includes('undefined') ? fallback : text;
  } catch {
    return fallback;
  }
}

/** A coded outcome with its English text, params without the unset optional ones (they must not travel as null). */
export function coded<C extends ResultMessageCode>(code: C, params: ResultMessageParams[C]): { code: C; params: ResultParams; message: string } {
  const clean: ResultParams = {};
  for (const [key, value] of Object.entries(params as Record<string, string | number | undefined>)) if (value !== undefined) clean[key] = value;
  return { code, params: clean, message: (en[code] as unknown as (p: ResultParams) => string)(clean) };
}

/** Only the code and params, for outcomes whose English message is built as before. */
export function withCode<C extends ResultMessageCode>(code: C, params: ResultMessageParams[C]): { code: C; params: ResultParams } {
  const { message: _english, ...rest } = coded(code, params);
  return rest;
}

export type { CodedMessage };

const DEFAULT_NAMES: Record<MessageLanguage, Record<string, (target?: string) => string>> = {
  en: {
    patch: () => 'Patch status', disk: (t) => (t ? `Disk ${t}` : 'Disk'), memory: () => 'Memory', load: () => 'Load',
    backup: (t) => (t ? `Backup ${t}` : 'Backup'), http: (t) => t ?? 'Web page', tcp: (t) => (t ? `Port ${t}` : 'Port'),
    tls: (t) => (t ? `Certificate ${t}` : 'Certificate'), dns: (t) => (t ? `DNS ${t}` : 'DNS'), ping: (t) => (t ? `Ping ${t}` : 'Ping'),
    service: (t) => (t ? `Service ${t}` : 'Service'), process: (t) => (t ? `Process ${t}` : 'Process'),
    smart: () => 'Disk health', firewall: () => 'Firewall', logins: () => 'Logins', antivirus: () => 'Antivirus', encryption: () => 'Disk encryption', admins: () => 'Administrators', eventlog: (t) => (t ? `Events ${t}` : 'Events'),
    'backup-integrity': () => 'Backup integrity', 'backup-churn': () => 'Backup changes',
  },
  de: {
    patch: () => 'Patchstand', disk: (t) => (t ? `Datenträger ${t}` : 'Datenträger'), memory: () => 'Arbeitsspeicher', load: () => 'Systemlast',
    backup: (t) => (t ? `Sicherung ${t}` : 'Sicherung'), http: (t) => t ?? 'Webseite', tcp: (t) => (t ? `Port ${t}` : 'Port'),
    tls: (t) => (t ? `Zertifikat ${t}` : 'Zertifikat'), dns: (t) => (t ? `DNS ${t}` : 'DNS'), ping: (t) => (t ? `Ping ${t}` : 'Ping'),
    service: (t) => (t ? `Dienst ${t}` : 'Dienst'), process: (t) => (t ? `Prozess ${t}` : 'Prozess'),
    smart: () => 'Festplattenzustand', firewall: () => 'Firewall', logins: () => 'Anmeldungen', antivirus: () => 'Virenschutz', encryption: () => 'Verschlüsselung', admins: () => 'Administratoren', eventlog: (t) => (t ? `Ereignisse ${t}` : 'Ereignisse'),
    'backup-integrity': () => 'Sicherung lesbar', 'backup-churn': () => 'Sicherungsänderungen',
  },
};

const TARGET_PARAMS = ['path', 'target', 'url', 'query', 'host', 'service', 'match', 'subject'] as const;

/**
 * A check's name as shown: its configured name, or, when it has none (the collector then stores its id),
 * a default per language from its kind and the target its latest params name: "Datenträger /", "Patchstand".
 */
export function checkDisplayName(check: { id: string; name?: string | null; kind: string }, lang: string, params?: ResultParams | null): string {
  if (check.name && check.name !== check.id) return check.name;
  const byKind = DEFAULT_NAMES[languageOf(lang)][check.kind];
  if (!byKind) return check.name || check.id;
  const key = TARGET_PARAMS.find((k) => typeof params?.[k] === 'string');
  return byKind(key ? String(params![key]) : undefined);
}
