/** The wire bounds of a result's code and params (used by ResultSchema); apart from codes.ts so the dashboard bundle needs no TypeBox. */
import { Type } from '@sinclair/typebox';

export const RESULT_CODE_PATTERN = '^[a-z][a-z0-9_.]{0,63}$';
export const RESULT_PARAM_KEY_PATTERN = '^[a-zA-Z][a-zA-Z0-9_]{0,31}$';
export const RESULT_PARAMS_LIMITS = { maxKeys: 16, maxStringChars: 200 } as const;

export const ResultCodeSchema = Type.String({ pattern: RESULT_CODE_PATTERN });
export const ResultParamsSchema = Type.Record(
  Type.String({ pattern: RESULT_PARAM_KEY_PATTERN }),
  Type.Union([Type.String({ maxLength: RESULT_PARAMS_LIMITS.maxStringChars }), Type.Number()]),
  { maxProperties: RESULT_PARAMS_LIMITS.maxKeys },
);
