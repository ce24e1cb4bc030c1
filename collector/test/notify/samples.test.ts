import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderNotice } from '../../src/notify/templates/render.ts';
import type { NoticeItem } from '../../src/notify/outbox.ts';
import type { Recipient } from '../../src/store/recipients.ts';

// The rendered samples under docs/samples/ are checked against the templates; regenerate with UPDATE_SAMPLES=1.
const SAMPLES = join(import.meta.dirname, '..', '..', '..', 'docs', 'samples');
const at = Date.UTC(2025, 2, 14, 6, 12); // Friday 07:12 in Berlin

const backup: NoticeItem = {
  transitionId: 41, event: 'firing', severity: 'CRIT', at, message: 'last snapshot 49 h ago (max 26 h)', alertId: 17, incident: 3, alertKind: 'check',
  checkId: 'backup-nas', checkKind: 'backup', checkName: 'NAS-Sicherung', agentName: 'server-buero', hostname: 'srv01', clientName: 'Bäckerei Huber',
  status: 'CRIT', metrics: { age_h: 49, snapshots: 212 }, problemSince: at - 2 * 3_600_000, flap: null,
};
const web: NoticeItem = {
  ...backup, transitionId: 42, alertId: 18, incident: 1, checkId: 'web', checkKind: 'http', checkName: 'Webshop', message: 'HTTP 503 in 120 ms', metrics: { latency_ms: 120, status: 503 },
  problemSince: at - 3 * 60_000,
};
const webResolved: NoticeItem = {
  ...web, transitionId: 43, event: 'resolved', severity: null, status: 'OK', at: at + 9 * 60_000, message: 'HTTP 200 in 85 ms', metrics: { latency_ms: 85, status: 200 },
};
const antivirusOff: NoticeItem = {
  ...backup, transitionId: 44, alertId: 19, incident: 1, checkId: 'defender', checkKind: 'antivirus', checkName: 'Virenschutz', agentName: 'pc-empfang', hostname: 'PC-EMPFANG',
  message: 'antivirus is off (Microsoft Defender, real-time protection off)', code: 'antivirus.state', params: { product: 'Microsoft Defender', realTimeOff: 1, signatureAgeMs: 7_200_000 },
  metrics: { threats: 0, signature_age_s: 7200 }, problemSince: at - 5 * 60_000,
};

const recipient = (r: Partial<Recipient>): Recipient => ({
  id: 1, clientId: null, name: 'Karin Berger', channel: 'email', address: 'karin@consult.example', target: { address: 'karin@consult.example' }, audience: 'technical', language: 'en', timezone: 'Europe/Berlin',
  quietHours: null, minSeverity: 'WARN', reminders: true, resolved: true, escalationOnly: false, reports: false, enabled: true, ...r,
});
const options = {
  brand: 'Berger IT-Service', publicUrl: 'https://nines.berger-it.example',
  ackLink: (alertId: number, incident: number, r: Recipient) =>
    `https://nines.berger-it.example/ack/alerts/${alertId}?incident=${incident}&expires=1742541120000&r=${r.id}&lang=${r.language}&sig=EXAMPLE`,
};

const samples = {
  'client-de': renderNotice([backup], recipient({ name: 'Frau Huber', address: 'huber@baeckerei.example', target: { address: 'huber@baeckerei.example' }, audience: 'plain', language: 'de', clientId: 2 }), options),
  'client-de-resolved': renderNotice([webResolved], recipient({ name: 'Frau Huber', address: 'huber@baeckerei.example', target: { address: 'huber@baeckerei.example' }, audience: 'plain', language: 'de', clientId: 2 }), options),
  'client-de-security': renderNotice([antivirusOff], recipient({ name: 'Frau Huber', address: 'huber@baeckerei.example', target: { address: 'huber@baeckerei.example' }, audience: 'plain', language: 'de', clientId: 2 }), options),
  'consultant-en': renderNotice([backup, web], recipient({}), options),
  'consultant-en-resolved': renderNotice([webResolved], recipient({}), options),
};

for (const [name, mail] of Object.entries(samples)) {
  t.test(`docs/samples/${name} matches what the templates render`, async (t) => {
    const text = `Subject: ${mail.subject}\n\n${mail.text}\n`;
    if (process.env.UPDATE_SAMPLES) {
      writeFileSync(join(SAMPLES, `${name}.txt`), text);
      writeFileSync(join(SAMPLES, `${name}.html`), mail.html);
    }
    t.equal(readFileSync(join(SAMPLES, `${name}.txt`), 'utf8'), text);
    t.equal(readFileSync(join(SAMPLES, `${name}.html`), 'utf8'), mail.html);
  });
}
