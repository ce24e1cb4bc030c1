/** Real parsers for the generated definitions (python3's plistlib and xml.etree, Microsoft's command-line rules). */
import { execFile } from 'node:child_process';

/** Microsoft's documented rules for splitting a command line (the MS C runtime / CommandLineToArgvW). */
export function parseWindowsCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\') {
      let n = 0;
      while (line[i] === '\\') (n++, i++);
      if (line[i] === '"') {
        current += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
      } else {
        current += '\\'.repeat(n);
        i--;
      }
      started = true;
    } else if (ch === '"') {
      inQuotes = !inQuotes;
      started = true;
    } else if ((ch === ' ' || ch === '\t') && !inQuotes) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

export async function python(script: string, input: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = execFile('python3', ['-c', script], { timeout: 20_000 }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return resolve(null);
      if (error) return reject(new Error(`python3 rejected the document: ${stderr}`));
      resolve(stdout);
    });
    child.stdin!.end(input);
  });
}

export async function plistToJson(plist: string): Promise<Record<string, unknown> | null> {
  const out = await python('import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))', plist);
  return out === null ? null : (JSON.parse(out) as Record<string, unknown>);
}

export async function winswFields(xml: string): Promise<Record<string, string> | null> {
  const out = await python(
    `import json, sys, xml.etree.ElementTree as E
root = E.fromstring(sys.stdin.read())
assert root.tag == 'service', root.tag
fields = {c.tag: (c.text or '').strip() or c.get('action') or '' for c in root}
for path in ['serviceaccount/domain', 'serviceaccount/user', 'log/sizeThreshold', 'log/keepFiles']: fields[path] = root.findtext(path)
fields['log@mode'] = root.find('log').get('mode')
fields['onfailures'] = ','.join(f"{e.get('action')} {e.get('delay')}" for e in root.findall('onfailure'))
print(json.dumps(fields))`,
    xml,
  );
  return out === null ? null : (JSON.parse(out) as Record<string, string>);
}
