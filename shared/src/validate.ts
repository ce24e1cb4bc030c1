import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import type { TSchema, Static } from '@sinclair/typebox';

export interface Validator<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  /** Human-readable problems, each pointing at the bad field ("/checks/2/port: Expected integer"). */
  errors(value: unknown, max?: number): string[];
}

/** A compiled checker for a schema: compile once at start-up, use on every frame. */
export function compileValidator<T extends TSchema>(schema: T): Validator<T> {
  const compiled: TypeCheck<T> = TypeCompiler.Compile(schema);
  return {
    check: (value): value is Static<T> => compiled.Check(value),
    errors(value, max = 5) {
      const out: string[] = [];
      for (const error of compiled.Errors(value)) {
        // TypeBox says "Unexpected property" for a key the schema does not have: name it as what it is for a person.
        const message = error.type === ValueErrorType.ObjectAdditionalProperties ? 'unknown key (misspelt, or not a setting here)' : error.message;
        out.push(`${error.path || '/'}: ${message}`);
        if (out.length >= max) break;
      }
      return out;
    },
  };
}
