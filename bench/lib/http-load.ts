/** Load process for api: `connections` keep-alive connections issuing GETs back to back for `durationMs`. */
import { setMaxListeners } from 'node:events';
import { Pool } from 'undici';
import { loadChannel } from './child.ts';

const channel = loadChannel();

channel.on(async (message) => {
  if (message.type !== 'hammer') return;
  const { url, path, headers, connections, durationMs } = message as unknown as {
    url: string; path: string; headers: Record<string, string>; connections: number; durationMs: number;
  };
  const pool = new Pool(url, { connections, pipelining: 1 });
  const deadline = AbortSignal.timeout(durationMs);
  setMaxListeners(connections + 10, deadline); // one listener per request in flight
  let ok = 0;
  let failed = 0;
  let bytes = 0;
  let lastStatus = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (!deadline.aborted) {
        try {
          const response = await pool.request({ path, method: 'GET', headers, signal: deadline });
          const body = await response.body.arrayBuffer();
          lastStatus = response.statusCode;
          if (response.statusCode === 200) (ok++, (bytes += body.byteLength));
          else failed++;
        } catch (error) {
          if (!deadline.aborted) (failed++, channel.send({ type: 'log', message: String(error) }));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.destroy();
  channel.send({ type: 'hammered', ok, failed, bytes, seconds, lastStatus });
});
