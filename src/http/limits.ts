import fp from 'fastify-plugin';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from './problem.js';
import { rateLimitRedis } from './rate-limit-store.js';

type Limiter = (req: FastifyRequest) => Promise<{ isAllowed: boolean; max?: number; remaining?: number; ttlInSeconds?: number; isExceeded?: boolean }>;

declare module 'fastify' {
  interface FastifyInstance {
    limits: {
      /** Every request: counted for the caller its verified token names, else for its IP. */
      caller(req: FastifyRequest, reply: FastifyReply): Promise<void>;
      /** Token requests, whatever the credential form (JSON, form or HTTP Basic): every one is
       * counted for its IP, and for the client id it names. */
      tokenAddress(req: FastifyRequest, reply: FastifyReply): Promise<void>;
      tokenClient(req: FastifyRequest, reply: FastifyReply, clientId: string): Promise<void>;
    };
  }
}

/**
 * Rate limits (@fastify/rate-limit's counters, used directly). The caller's key is taken after
 * its token is verified: the subject of a valid token, or the IP when there is none or it does
 * not verify. A key made of the raw Authorization text would give `bearer `, `BEARER `, a double
 * space or a tab a fresh quota each; the verified subject is the same for all of them.
 */
/** An IPv6 caller counts by its /64 (one subscriber's network), not by each of its addresses. */
const address = (req: FastifyRequest) => normalizeIP(req.ip);

export const limitsPlugin = fp(async (app: FastifyInstance) => {
  const cfg = app.config;
  // With REDIS_URL the counters live in Redis (one limit across every process); if Redis does not
  // answer, requests are served unlimited rather than failed (skipOnError).
  const redis = cfg.REDIS_URL ? await rateLimitRedis(cfg.REDIS_URL, app.log) : undefined;
  if (redis) app.addHook('onClose', async () => { await redis.quit().catch(() => redis.disconnect()); });
  await app.register(rateLimit, { global: false, ...(redis ? { redis, nameSpace: cfg.REDIS_KEY_PREFIX, skipOnError: true } : {}) });
  const make = (max: number, timeWindow: string | number, key: (req: FastifyRequest) => string) =>
    (app as unknown as { createRateLimit(o: object): Limiter }).createRateLimit({ max, timeWindow, keyGenerator: key });

  const perCaller = make(cfg.RATE_LIMIT_MAX, cfg.RATE_LIMIT_WINDOW,
    (req) => (req.actorOrNull ? `caller:${req.actorOrNull.subject}` : `ip:${address(req)}`));
  const tokenPerIp = make(cfg.TOKEN_RATE_LIMIT_MAX, '1 minute', (req) => `token-ip:${address(req)}`);
  const clientIdOfRequest = new WeakMap<FastifyRequest, string>();
  const tokenPerClient = make(cfg.TOKEN_CLIENT_RATE_LIMIT_MAX, '1 minute', (req) => `token-client:${clientIdOfRequest.get(req)}`);

  async function enforce(limiter: Limiter, req: FastifyRequest, reply: FastifyReply, what: string) {
    const r = await limiter(req);
    if (r.isAllowed || r.max === undefined) return;
    reply.header('x-ratelimit-limit', r.max);
    reply.header('x-ratelimit-remaining', r.remaining ?? 0);
    reply.header('x-ratelimit-reset', r.ttlInSeconds ?? 0);
    if (r.isExceeded) {
      throw new Problem('rate-limited', `Rate limit of ${r.max} ${what} exceeded; retry in ${r.ttlInSeconds} s`, {}, { retryAfter: r.ttlInSeconds ?? 60 });
    }
  }

  app.decorate('limits', {
    caller: (req: FastifyRequest, reply: FastifyReply) => enforce(perCaller, req, reply, `requests per ${cfg.RATE_LIMIT_WINDOW}`),
    tokenAddress: (req: FastifyRequest, reply: FastifyReply) => enforce(tokenPerIp, req, reply, 'token requests per minute from this address'),
    tokenClient(req: FastifyRequest, reply: FastifyReply, clientId: string) {
      clientIdOfRequest.set(req, clientId.slice(0, 256)); // an id over HTTP Basic has no length limit
      return enforce(tokenPerClient, req, reply, 'token requests per minute for this client id');
    },
  });
}, { name: 'limits', dependencies: ['db'] });
