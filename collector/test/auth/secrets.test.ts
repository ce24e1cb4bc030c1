import t from 'tap';
import { parseArgs } from 'node:util';
import { newEnrollToken, hashSecret, secretMatches, hashPassword, verifyPassword } from '../../src/auth/secrets.ts';

t.test('enrollment tokens can be passed as a CLI option value, whatever their random part', async (t) => {
  const misread: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const token = newEnrollToken();
    const { values } = parseArgs({ args: ['--token', token], options: { token: { type: 'string' } } });
    if (token.startsWith('-') || values.token !== token) misread.push(token);
  }
  t.same(misread, [], '2,000 tokens, none starts with a dash or is misread');
  t.match(newEnrollToken(), /^nines-enroll_[A-Za-z0-9_-]{32}$/);
});

t.test('secrets compare by hash; passwords by scrypt', async (t) => {
  const hash = hashSecret('s3cret');
  t.ok(secretMatches('s3cret', hash));
  t.notOk(secretMatches('s3cret!', hash));
  const stored = await hashPassword('correct horse');
  t.match(stored, /^scrypt\$32768\$8\$1\$/);
  t.ok(await verifyPassword('correct horse', stored));
  t.notOk(await verifyPassword('wrong horse', stored));
  t.notOk(await verifyPassword('x', 'md5$whatever'), 'unknown schemes never match');
});
