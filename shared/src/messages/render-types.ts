import type { ResultMessageCode, ResultMessageParams } from './codes.ts';

/** One text per code; a language missing a code is a type error. */
export type Renderers = { [C in ResultMessageCode]: (params: ResultMessageParams[C]) => string };
