import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueErrorIterator } from '@sinclair/typebox/errors';
import type { TSchema, Static } from '@sinclair/typebox';

export interface Validator<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  /** Human-readable problems, each pointing at the bad field ("/checks/2/port: Expected integer"). */
  errors(value: unknown, max?: number): string[];
}

function validatorOf<T extends TSchema>(check: (value: unknown) => boolean, errorsOf: (value: unknown) => ValueErrorIterator): Validator<T> {
  return {
    check: check as (value: unknown) => value is Static<T>,
    errors(value, max = 5) {
      const out: string[] = [];
      for (const error of errorsOf(value)) {
        // TypeBox says "Unexpected property" for a key the schema does not have: name it as what it is for a person.
        const message = error.type === ValueErrorType.ObjectAdditionalProperties ? 'unknown key (misspelt, or not a setting here)' : error.message;
        out.push(`${error.path || '/'}: ${message}`);
        if (out.length >= max) break;
      }
      return out;
    },
  };
}

/**
 * A checker compiled to JavaScript: compile once at start-up, use on every frame. For the collector, which checks
 * every frame of every agent. Compiling costs memory the agent cannot spare (TypeBox's compiler and the generated
 * code: +8 MiB resident for the agent's two schemas), so the agent uses `schemaValidator`.
 */
export function compileValidator<T extends TSchema>(schema: T): Validator<T> {
  const compiled = TypeCompiler.Compile(schema);
  return validatorOf((value) => compiled.Check(value), (value) => compiled.Errors(value));
}

/**
 * The same answers as `compileValidator`, by walking the schema on each call (TypeBox's Value.Check and
 * Value.Errors): no compiler, no generated code. Slower per call, which suits the agent (its config once, a few
 * collector frames a second) and one-off checks (a config file, an API body) in either process.
 */
export function schemaValidator<T extends TSchema>(schema: T): Validator<T> {
  return validatorOf((value) => Value.Check(schema, value), (value) => Value.Errors(schema, value));
}
