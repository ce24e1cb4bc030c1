export * from './codes.ts';
export * from './schema.ts';
export * from './render.ts';
export * from './net-errors.ts';
export { timeLeft, type MessageLanguage } from './format.ts';
