#!/usr/bin/env node
/**
 * Finds promises used as if they were values — what tsc lets through and what turns a forgotten `await` into a
 * silent bug (the store's repositories are async: a network database sits behind them):
 * - floating: a promise as a statement, neither awaited, returned nor marked `void` (its rejection is unhandled,
 *   and what it writes may land after what follows);
 * - condition: a promise as the operand of `!`, `&&`, `||` or `??` (always truthy: `if (!repo.remove(id))` never fires);
 * - callback: a callback returning a promise where the caller expects a value (`ids.filter((id) => repo.has(id))`);
 * - argument: a promise passed where any value is accepted (`t.ok(repo.get(id))` passes for a missing row);
 * - template: a promise inside a template literal (`Bearer ${token()}` is "Bearer [object Promise]");
 * - comparison: a promise compared with `===`, `!==`, `==` or `!=` (`repo.find(id) !== undefined` is always true);
 * - property: a promise, or an array of them, as an object literal's property value where no promise is expected
 *   (`{ id: repo.insert(x) }` stores the promise, and JSON of it is `{}`);
 * - throws: `t.throws(fn)` with `fn` returning a promise (a rejection is not a throw: it always fails, or never fires).
 * Usage: node tools/check-promises.mjs [tsconfig.json …]; exits 1 and prints file:line: rule when it finds any.
 */
import ts from 'typescript';
import { relative, resolve } from 'node:path';

/** Callees that take promises on purpose. */
const TAKES_PROMISES = new Set(['resolves', 'rejects', 'resolveMatch', 'rejectsMatch', 'all', 'allSettled', 'race', 'any', 'resolve', 'reject', 'teardown', 'then', 'catch', 'finally', 'push', 'set', 'add', 'unshift', 'race', 'withTimeout', 'within', 'bounded']);

/** Callees that test what their callback returns (declared `unknown`): a promise there is always truthy. */
const PREDICATES = new Set(['filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'sort', 'toSorted']);

/** Callees that call their callback to see whether it throws: a callback returning a promise wants `rejects`. */
const THROW_TESTS = new Set(['throws', 'doesNotThrow']);

/** Thenables that are not promises of a result: Fastify's reply (its methods return it for chaining). */
const NOT_PROMISES = new Set(['FastifyReply']);

function isPromiseLike(checker, type) {
  if (type.isUnion()) return type.types.some((t) => isPromiseLike(checker, t));
  const name = (type.aliasSymbol ?? type.getSymbol())?.getName();
  if (name && NOT_PROMISES.has(name)) return false;
  const then = type.getProperty('then');
  if (!then) return false;
  const thenType = checker.getTypeOfSymbol(then);
  return thenType.getCallSignatures().length > 0;
}

function acceptsAnything(type) {
  return (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

function returnsPromiseSlot(checker, type) {
  // A contextual callback type whose return may be a promise, or whose value the caller ignores (void, any, unknown:
  // Fastify's handlers are typed to return unknown). Array's predicates also declare unknown: see PREDICATES.
  const sigs = type.getCallSignatures();
  if (sigs.length === 0) return true;
  return sigs.some((s) => {
    const r = checker.getReturnTypeOfSignature(s);
    return isPromiseLike(checker, r) || (r.flags & (ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Undefined)) !== 0;
  });
}

function isAssignment(e) {
  return ts.isBinaryExpression(e) && e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

/** `p.catch(f)` and `p.then(f, g)` handle the rejection. */
function isHandled(e) {
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return false;
  const name = e.expression.name.text;
  return name === 'catch' || (name === 'then' && e.arguments.length === 2);
}

/** tap runs the subtests a test file declares (`t.test(…)`, `t.skip(…)`), and reports their failures itself. */
function isTapTest(e) {
  if (!ts.isCallExpression(e)) return false;
  if (ts.isIdentifier(e.expression)) return e.expression.text === 'test';
  return ts.isPropertyAccessExpression(e.expression) && ['test', 'only', 'skip', 'todo'].includes(e.expression.name.text)
    && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === 't';
}

function calleeName(call) {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return '';
}

function check(configPath) {
  const config = ts.getParsedCommandLineOfConfigFile(resolve(configPath), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const problems = [];
  const report = (node, rule) => {
    const sf = node.getSourceFile();
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
    problems.push(`${relative(process.cwd(), sf.fileName)}:${line + 1}: ${rule}: ${node.getText().slice(0, 100).replace(/\s+/g, ' ')}`);
  };
  const promise = (node) => isPromiseLike(checker, checker.getTypeAtLocation(node));
  /** An array of promises (`rows.map(async …)` not passed to Promise.all). */
  const promiseArray = (node) => {
    const type = checker.getTypeAtLocation(node);
    if (!checker.isArrayType(type)) return false;
    const [element] = checker.getTypeArguments(type);
    return element !== undefined && isPromiseLike(checker, element);
  };
  /** A promise that cannot be null or undefined: as a condition it is always true (a nullable one is a presence test). */
  const alwaysPromise = (node) => {
    const type = checker.getTypeAtLocation(node);
    const nullable = type.isUnion() && type.types.some((t) => (t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) !== 0);
    return !nullable && isPromiseLike(checker, type);
  };
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
    const visit = (node) => {
      if (ts.isExpressionStatement(node)) {
        const e = node.expression;
        const marked = ts.isVoidExpression(e) || ts.isAwaitExpression(e) || isAssignment(e) || isHandled(e) || isTapTest(e);
        if (!marked && promise(e)) report(node, 'floating');
      } else if (ts.isTemplateSpan(node)) {
        if (promise(node.expression)) report(node.expression, 'template');
      } else if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && ts.isObjectLiteralExpression(node.parent)) {
        const value = ts.isPropertyAssignment(node) ? node.initializer : node.name;
        if (!ts.isAwaitExpression(value) && (promise(value) || promiseArray(value))) {
          const expected = checker.getContextualType(ts.isPropertyAssignment(node) ? node.initializer : node.name);
          if (!expected || acceptsAnything(expected) || !isPromiseLike(checker, expected)) report(value, 'property');
        }
      } else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
        if (alwaysPromise(node.operand)) report(node, 'condition');
      } else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(node.operatorToken.kind)) {
        if (alwaysPromise(node.left) || alwaysPromise(node.right)) report(node, 'comparison');
      } else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)) {
        if (alwaysPromise(node.left)) report(node, 'condition');
      } else if (ts.isCallExpression(node) && !TAKES_PROMISES.has(calleeName(node))) {
        const signature = checker.getResolvedSignature(node);
        node.arguments.forEach((arg, i) => {
          if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) {
            const fnType = checker.getTypeAtLocation(arg);
            const returnsPromise = fnType.getCallSignatures().some((s) => isPromiseLike(checker, checker.getReturnTypeOfSignature(s)));
            const expected = checker.getContextualType(arg);
            if (returnsPromise && THROW_TESTS.has(calleeName(node))) report(arg, 'throws');
            else if (returnsPromise && (PREDICATES.has(calleeName(node)) || (expected && !returnsPromiseSlot(checker, expected)))) report(arg, 'callback');
            return;
          }
          if (!signature || !promise(arg) || ts.isAwaitExpression(arg)) return;
          const params = signature.getParameters();
          const param = params[Math.min(i, params.length - 1)];
          if (!param) return;
          const declared = checker.getTypeOfSymbolAtLocation(param, node);
          const restElement = param.valueDeclaration && ts.isParameter(param.valueDeclaration) && param.valueDeclaration.dotDotDotToken ? checker.getIndexTypeOfType(declared, ts.IndexKind.Number) : declared;
          if (restElement && acceptsAnything(restElement)) report(arg, 'argument');
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return problems;
}

const configs = process.argv.slice(2);
const problems = (configs.length ? configs : ['tsconfig.json']).flatMap(check);
for (const p of problems) console.log(p);
if (problems.length > 0) {
  console.error(`check-promises: ${problems.length} promise(s) used as values (see tools/check-promises.mjs)`);
  process.exit(1);
}
console.error(`check-promises: no promise used as a value (${(configs.length ? configs : ['tsconfig.json']).join(', ')})`);
