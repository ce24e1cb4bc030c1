export * from './status.ts';
export * from './time.ts';
export * from './checks/index.ts';
export * from './protocol.ts';
export * from './live.ts';
export * from './config.ts';
export * from './validate.ts';
export * from './api.ts';
