export * from './codes.ts';
export * from './schema.ts';
export * from './render.ts';
export * from './net-errors.ts';
export type { MessageLanguage } from './format.ts';
