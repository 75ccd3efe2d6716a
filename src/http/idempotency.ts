import fp from 'fastify-plugin';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, lt, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../db/schema/index.js';
import { Problem, badRequest, conflict } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { owner: string; key: string } | null;
  }
}

export const honoursIdempotencyKey = (method: string | string[], config: { public?: boolean } | undefined) =>
  ([] as string[]).concat(method).includes('POST') && !config?.public;

const KEEP_HOURS = 48; // API.md promises at least 24 h
const PENDING_TAKEOVER_MS = 5 * 60_000; // a request that died mid-way frees its key after this
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

/** Idempotency-Key on POST (API.md): the first response for (client, key) is stored in the
 * database and replayed for the same body; another body with the same key is 422. Every
 * authenticated POST honours it (API.md requires it of those that create or import; a retried
 * action such as signing is just as safe to replay). */
export const idempotencyPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('idempotency', null);

  const cleanup = setInterval(() => {
    app.db.delete(idempotencyKeys)
      .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${KEEP_HOURS})`))
      .catch((err) => app.log.warn({ err }, 'idempotency cleanup failed'));
  }, 3_600_000);
  cleanup.unref();
  app.addHook('onClose', async () => clearInterval(cleanup));

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!honoursIdempotencyKey(req.method, req.routeOptions.config)) return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      throw badRequest('Idempotency-Key must be 1 to 255 characters', [{ path: 'Idempotency-Key', message: 'invalid' }]);
    }
    const owner = req.actor.subject;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.url}\n${typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? null)}`)
      .digest('base64url');

    const inserted = await app.db.insert(idempotencyKeys)
      .values({ owner, key, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length) {
      req.idempotency = { owner, key };
      return;
    }
    const [prior] = await app.db.select().from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
    if (!prior) throw conflict('The Idempotency-Key is being released; retry');
    if (prior.requestHash !== requestHash) {
      throw new Problem('idempotency-key-reuse', 'This Idempotency-Key was used with a different request; use a new key');
    }
    if (prior.statusCode === null) {
      // Still running elsewhere, or a crashed attempt: take it over once it is old enough.
      if (Date.now() - prior.createdAt.getTime() < PENDING_TAKEOVER_MS) {
        throw conflict('A request with this Idempotency-Key is still being processed; retry shortly');
      }
      await app.db.update(idempotencyKeys).set({ createdAt: new Date() })
        .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
      req.idempotency = { owner, key };
      return;
    }
    reply.code(prior.statusCode);
    for (const [h, v] of Object.entries((prior.headers ?? {}) as Record<string, string>)) reply.header(h, v);
    reply.header('idempotent-replayed', 'true');
    return reply.send(prior.body ?? '');
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotency;
    if (!idem) return payload;
    req.idempotency = null;
    const where = and(eq(idempotencyKeys.owner, idem.owner), eq(idempotencyKeys.key, idem.key));
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      // Nothing durable happened (or cannot be replayed): free the key so the client may retry.
      await app.db.delete(idempotencyKeys).where(where);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const h of REPLAYED_HEADERS) {
      const v = reply.getHeader(h);
      if (v !== undefined) headers[h] = String(v);
    }
    await app.db.update(idempotencyKeys).set({ statusCode: reply.statusCode, headers, body: payload }).where(where);
    return payload;
  });
}, { name: 'idempotency', dependencies: ['db', 'auth'] });
