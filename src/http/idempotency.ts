import fp from 'fastify-plugin';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, lt, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../db/schema/index.js';
import type { IdempotencyClaim } from '../db/gate.js';
import { Problem, badRequest } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyClaim | null;
  }
}

export const honoursIdempotencyKey = (method: string | string[], config: { public?: boolean } | undefined) =>
  ([] as string[]).concat(method).includes('POST') && !config?.public;

const KEEP_HOURS = 48; // API.md promises at least 24 h
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

/**
 * Idempotency-Key on POST (API.md). The key is claimed by the write gate (src/db/gate.ts) in the
 * transaction of the work, and the work's result is stored in that same transaction: the key and
 * the work commit together or not at all. This plugin
 * - before the handler: replays a stored response (same client, key and request), or hands a
 *   committed result to the gate (a first attempt that committed but never answered), or 422s a
 *   key reused with another request;
 * - after the handler: stores the response as sent, so replays are byte-identical. A 5xx is never
 *   stored (the key stays free for the retry); nor is the 409 told to a duplicate in flight.
 * A concurrent duplicate is detected by the gate through the live attempt's advisory lock, so a
 * crashed attempt never blocks its retry.
 */
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
    const claim: IdempotencyClaim = { owner, key, requestHash };

    const [prior] = await app.db.select().from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
    if (prior && prior.requestHash !== requestHash) {
      throw new Problem('idempotency-key-reuse', 'This Idempotency-Key was used with a different request; use a new key');
    }
    if (prior && prior.statusCode !== null) {
      reply.code(prior.statusCode);
      for (const [h, v] of Object.entries((prior.headers ?? {}) as Record<string, string>)) reply.header(h, v);
      reply.header('idempotent-replayed', 'true');
      return reply.send(prior.body ?? '');
    }
    // Committed by the gate but never answered (the process died in between): the handler
    // answers again from the stored result, without doing the work.
    if (prior && prior.result !== null) {
      claim.replay = { result: prior.result };
      reply.header('idempotent-replayed', 'true');
    }
    req.idempotency = claim;
    req.actor.idempotency = claim;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotency;
    if (!claim) return payload;
    req.idempotency = null;
    if (reply.statusCode >= 500 || claim.inFlight || typeof payload !== 'string') return payload;
    const headers: Record<string, string> = {};
    for (const h of REPLAYED_HEADERS) {
      const v = reply.getHeader(h);
      if (v !== undefined) headers[h] = String(v);
    }
    try {
      // The gate's row (with its result) gets the response; a request that wrote nothing (a 4xx
      // before or inside the gate) stores its answer so a retry sees the same outcome.
      await app.db.insert(idempotencyKeys)
        .values({ owner: claim.owner, key: claim.key, requestHash: claim.requestHash, statusCode: reply.statusCode, headers, body: payload })
        .onConflictDoUpdate({
          target: [idempotencyKeys.owner, idempotencyKeys.key],
          set: { statusCode: reply.statusCode, headers, body: payload },
          where: sql`${idempotencyKeys.statusCode} IS NULL AND ${idempotencyKeys.requestHash} = ${claim.requestHash}`,
        });
    } catch (err) {
      // The work (if any) committed with its result; a retry replays from that.
      req.log.warn({ err }, 'could not store the idempotent response');
    }
    return payload;
  });
}, { name: 'idempotency', dependencies: ['db', 'auth'] });
