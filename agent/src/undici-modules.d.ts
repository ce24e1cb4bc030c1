// undici ships no types for its internal modules; undici-core.ts casts them to the public types.
declare module 'undici/lib/dispatcher/agent.js' { const value: unknown; export default value; }
declare module 'undici/lib/dispatcher/dispatcher.js' { const value: unknown; export default value; }
declare module 'undici/lib/api/index.js' { const value: object; export default value; }
declare module 'undici/lib/core/connect.js' { const value: unknown; export default value; }
