/**
 * GET /download/SHA256SUMS.sig: the collector's ed25519 signature over the SHA256SUMS it serves, 64 raw bytes,
 * made on each request (the sums file is a few lines; a rebuild replaces it). One signature over the catalogue,
 * not one per file: the sums file already binds every name to its sha256, so the agent checks the signature once
 * and then its file's hash against the signed line, and `openssl pkeyutl -verify -rawin` checks it by hand.
 * GET /download/signing-key.pem: the public key, for checking by hand (agents use the key pinned at enrollment).
 * GET/PUT/DELETE /api/v1/upgrade: the build on offer and the automatic-upgrade switch (admin).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { compileValidator } from '@nines/shared';
import { requireAdmin } from '../auth/guards.ts';
import { NinesError } from '../errors.ts';
import { SUMS_FILE } from '../http/routes/downloads.ts';
import { signBytes } from './signing-key.ts';

export const SIGNATURE_FILE = `${SUMS_FILE}.sig`;

const validateSetting = compileValidator(Type.Object({ automatic: Type.Boolean() }, { additionalProperties: false }));

export async function upgradeRoutes(app: FastifyInstance): Promise<void> {
  const upgrade = () => app.nines.upgrade;
  // Switched on another collector sharing the database: the agents connected here hear it from this one.
  const onChanged = ({ remote }: { remote?: true }) =>
    void (remote && tellConnectedAgents(app).catch((err: unknown) => app.log.warn({ err }, 'could not tell the agents of the upgrade setting')));
  app.nines.events.on('upgradeSettingChanged', onChanged);
  app.addHook('onClose', async () => void app.nines.events.off('upgradeSettingChanged', onChanged));

  if (upgrade().downloadsDir !== null) {
    const dir = upgrade().downloadsDir!;
    app.get(`/download/${SIGNATURE_FILE}`, { config: { access: 'public' } }, async (_request, reply) => {
      let sums: Buffer;
      try {
        sums = readFileSync(join(dir, SUMS_FILE));
      } catch {
        throw new NinesError('NOT_FOUND', 'no downloads are published on this collector (build them with `npm run build`)');
      }
      const signature = signBytes(upgrade().signingKey, sums);
      return reply.header('content-type', 'application/octet-stream').header('cache-control', 'no-cache')
        .header('content-disposition', `attachment; filename="${SIGNATURE_FILE}"`).send(signature);
    });
    app.get('/download/signing-key.pem', { config: { access: 'public' } }, async (_request, reply) => {
      const pem = createPublicKey({ key: Buffer.from(upgrade().signingKey.publicKey, 'base64'), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' });
      return reply.header('content-type', 'text/plain; charset=utf-8').send(pem);
    });
  }

  const view = async () => ({ ...(await upgrade().setting()), offer: upgrade().offer(), signingKey: upgrade().signingKey.publicKey });

  app.get('/api/v1/upgrade', { config: { access: 'admin' } }, async (request) => {
    requireAdmin(request);
    return view();
  });

  app.put('/api/v1/upgrade', { config: { access: 'admin' }, schema: { body: Type.Record(Type.String(), Type.Unknown()) } }, async (request) => {
    const identity = requireAdmin(request);
    const body: unknown = request.body;
    // Checked here: Fastify's schema would drop an unknown key silently, and a misspelt one must be an error.
    if (!validateSetting.check(body)) throw new NinesError('BAD_REQUEST', `bad upgrade settings (want {"automatic": true|false}): ${validateSetting.errors(body).join('; ')}`);
    await app.nines.store.upgradeSettings.put(body.automatic, app.nines.clock(), identity.user.username);
    request.log.info({ automatic: body.automatic, by: identity.user.username }, 'automatic agent upgrade switched');
    await tellConnectedAgents(app);
    app.nines.events.emit('upgradeSettingChanged', { at: app.nines.clock() });
    return view();
  });

  app.delete('/api/v1/upgrade', { config: { access: 'admin' } }, async (request) => {
    requireAdmin(request);
    await app.nines.store.upgradeSettings.remove();
    await tellConnectedAgents(app);
    app.nines.events.emit('upgradeSettingChanged', { at: app.nines.clock() });
    return view();
  });
}

/** Connected agents hear the change now, not at their next reconnect (which may be weeks away). */
async function tellConnectedAgents(app: FastifyInstance): Promise<void> {
  for (const agentId of app.nines.connections.agentIds()) {
    const update = await app.nines.upgrade.updateFor((await app.nines.store.getAgent(agentId))?.agentVersion ?? null);
    if (update) app.nines.connections.send(agentId, JSON.stringify(update));
  }
}
