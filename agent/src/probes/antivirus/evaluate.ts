import {
  ANTIVIRUS_DEFAULT_SCAN_MAX_AGE_MS, ANTIVIRUS_DEFAULT_SIGNATURE_CRIT_MS, ANTIVIRUS_DEFAULT_SIGNATURE_WARN_MS, ANTIVIRUS_DEFAULT_THREAT_WINDOW_MS,
  XPROTECT_DEFAULT_SIGNATURE_CRIT_MS, XPROTECT_DEFAULT_SIGNATURE_WARN_MS, coded, parseDuration, worstStatus, type AntivirusCheckConfig, type EpochMs, type ResultMessageParams, type Status,
} from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';
import { thresholdStatus } from '../../checks/check.ts';
import type { AntivirusState } from './parse.ts';

const ms = (value: string | number | undefined, fallback: number) => (value === undefined ? fallback : parseDuration(value));

export function threatWindowMs(config: Partial<AntivirusCheckConfig>): number {
  return ms(config.threatWindow, ANTIVIRUS_DEFAULT_THREAT_WINDOW_MS);
}

/**
 * Off (service, real-time protection, or no scanner at all) and threats found are CRIT; old signatures WARN/CRIT;
 * no recent scan and a stopped clamd WARN. Defender in passive mode, or absent, defers to the product the
 * Windows Security Center names as enabled.
 */
export function evaluateAntivirus(state: AntivirusState, config: Partial<AntivirusCheckConfig>, now: EpochMs): CheckOutcome {
  const p: ResultMessageParams['antivirus.state'] = { product: state.product };
  let status: Status = 'OK';
  const raise = (s: Status) => (status = worstStatus(status, s));
  const metrics: Record<string, number> = { threats: 0 };
  const other = state.others?.find((o) => o.enabled);

  if (!state.serviceOn || state.passive) {
    if (other) {
      p.product = other.name;
      if (!other.upToDate) {
        raise('WARN');
        p.outdated = 1;
      }
      return { status, metrics, details: state, ...coded('antivirus.state', p) };
    }
    raise('CRIT');
    p.off = 1;
  } else if (state.realTimeOn === false) {
    raise('CRIT');
    if (state.scanner === 'clamav') {
      p.daemonStopped = 1;
      status = 'WARN'; // clamscan on demand still works; on-access protection does not
    } else p.realTimeOff = 1;
  }

  const window = threatWindowMs(config);
  const threats = state.threats.filter((t) => t.at > now - window);
  metrics.threats = threats.length;
  if (threats.length) {
    raise('CRIT');
    p.threats = threats.length;
    p.threatNames = [...new Set(threats.map((t) => t.name))].slice(0, 3).join(', ');
    p.threatWindowMs = window;
  }

  if (state.serviceOn && !state.passive) {
    if (state.signaturesAt === undefined) {
      raise('CRIT');
      p.noSignatures = 1;
    } else {
      const age = Math.max(0, now - state.signaturesAt);
      metrics.signature_age_s = Math.round(age / 1000);
      const xprotect = state.scanner === 'xprotect'; // weekly rules, not several a day: its own defaults
      const warn = ms(config.signatureWarnAge, xprotect ? XPROTECT_DEFAULT_SIGNATURE_WARN_MS : ANTIVIRUS_DEFAULT_SIGNATURE_WARN_MS);
      const crit = ms(config.signatureCritAge, xprotect ? XPROTECT_DEFAULT_SIGNATURE_CRIT_MS : ANTIVIRUS_DEFAULT_SIGNATURE_CRIT_MS);
      const s = thresholdStatus(age, warn, crit);
      p.signatureAgeMs = age;
      if (s !== 'OK') {
        raise(s);
        p.signatureLimitMs = s === 'CRIT' ? crit : warn;
      }
    }
    const scanLimit = ms(config.scanMaxAge, ANTIVIRUS_DEFAULT_SCAN_MAX_AGE_MS);
    if (state.scanner === 'defender' && scanLimit > 0) {
      if (state.lastScanAt === undefined) {
        raise('WARN');
        p.neverScanned = 1;
      } else {
        const scanAge = Math.max(0, now - state.lastScanAt);
        metrics.scan_age_s = Math.round(scanAge / 1000);
        if (scanAge > scanLimit) {
          raise('WARN');
          p.scanAgeMs = scanAge;
          p.scanLimitMs = scanLimit;
        }
      }
    }
  }
  return { status, metrics, details: state, ...coded('antivirus.state', p) };
}
