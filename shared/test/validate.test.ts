import t from 'tap';
import { AgentConfigSchema, CollectorMessageSchema, HelloSchema, checkSchemas, compileValidator, schemaValidator } from '../src/index.ts';

// The agent validates with schemaValidator (no generated code), the collector with compileValidator: the same
// config or frame must get the same verdict and the same errors from both, or an agent and its collector would
// disagree about what is valid.
const cases: Array<{ name: string; schema: Parameters<typeof compileValidator>[0]; value: unknown; valid: boolean }> = [
  { name: 'an ack', schema: CollectorMessageSchema, value: { type: 'ack', upTo: 41 }, valid: true },
  { name: 'an ack with a negative seq', schema: CollectorMessageSchema, value: { type: 'ack', upTo: -1 }, valid: false },
  { name: 'a frame of no known type', schema: CollectorMessageSchema, value: { type: 'acknowledge', upTo: 1 }, valid: false },
  { name: 'not an object', schema: CollectorMessageSchema, value: 'ack', valid: false },
  { name: 'a hello without its agent', schema: HelloSchema, value: { type: 'hello' }, valid: false },
  {
    name: 'an agent config of two kinds',
    schema: AgentConfigSchema,
    value: { concurrency: 8, checks: [{ kind: 'http', id: 'web', url: 'https://huber-baeckerei.de/' }, { kind: 'disk', id: 'c', path: 'C:\\', warnUsedPercent: 80 }] },
    valid: true,
  },
  { name: 'a misspelt top-level key', schema: AgentConfigSchema, value: { check: [] }, valid: false },
  { name: 'concurrency out of range', schema: AgentConfigSchema, value: { concurrency: 0 }, valid: false },
  { name: 'a tcp check with a port as text', schema: checkSchemas.tcp, value: { kind: 'tcp', id: 'ssh', host: '127.0.0.1', port: '22' }, valid: false },
  { name: 'a tcp check with an unknown key', schema: checkSchemas.tcp, value: { kind: 'tcp', id: 'ssh', host: '127.0.0.1', port: 22, banner: 'SSH' }, valid: false },
];

t.test('schemaValidator and compileValidator give the same verdict and the same errors', async (t) => {
  for (const c of cases) {
    const compiled = compileValidator(c.schema);
    const walked = schemaValidator(c.schema);
    t.equal(compiled.check(c.value), c.valid, `${c.name}: compiled says ${c.valid ? 'valid' : 'invalid'}`);
    t.equal(walked.check(c.value), c.valid, `${c.name}: walked says ${c.valid ? 'valid' : 'invalid'}`);
    t.same(walked.errors(c.value, 10), compiled.errors(c.value, 10), `${c.name}: same errors`);
    t.equal(walked.errors(c.value).length === 0, c.valid, `${c.name}: errors only when invalid`);
  }
});

t.test('errors point at the field and name an unknown key as such', async (t) => {
  const validate = schemaValidator(checkSchemas.tcp);
  t.same(validate.errors({ kind: 'tcp', id: 'ssh', host: '127.0.0.1', port: 22, banner: 'SSH' }), ['/banner: unknown key (misspelt, or not a setting here)']);
  t.match(validate.errors({ kind: 'tcp', id: 'ssh', host: '127.0.0.1', port: '22' })[0], /^\/port: /);
  const many = { kind: 'tcp', id: 1, host: 2, port: 'x', a: 1, b: 2, c: 3 };
  t.equal(validate.errors(many, 3).length, 3, 'at most max errors');
});
