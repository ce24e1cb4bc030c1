import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caFile: string;
  ca: string;
  /** Signed by the CA, for localhost and 127.0.0.1. */
  key: string;
  cert: string;
  /** Self-signed, for localhost and 127.0.0.1: what a NAS or router ships. */
  selfSignedKey: string;
  selfSignedCert: string;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A throw-away CA and certificates made with the openssl CLI, valid for `days`. */
export function makeTestPki(days = 30): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'nines-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', String(days + 10), '-subj', '/CN=Nines Test CA']);
  openssl(dir, ['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'leaf.ext'), `${san}\n`);
  openssl(dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', String(days), '-extfile', 'leaf.ext']);
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-days', String(days), '-subj', '/CN=localhost', '-addext', san]);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    ca: read('ca.pem'),
    key: read('leaf.key'),
    cert: read('leaf.pem'),
    selfSignedKey: read('self.key'),
    selfSignedCert: read('self.pem'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
