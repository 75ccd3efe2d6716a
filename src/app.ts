import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { createHash, randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { authPlugin } from './http/auth.js';
import { databasePlugin } from './http/database.js';
import { idempotencyPlugin } from './http/idempotency.js';
import { inputsPlugin } from './http/inputs.js';
import { metricsPlugin } from './http/metrics.js';
import { openapiPlugin } from './http/openapi.js';
import { rateLimitRedis } from './http/rate-limit-store.js';
import { Problem, badRequest, registerProblemHandlers, sendProblem } from './http/problem.js';
import { modules } from './modules/index.js';

export type BuildOptions = {
  config: Config;
  /** An already connected database (tests); otherwise one is opened from the config. */
  database?: Database;
  logger?: boolean | object;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the whole service: cross-cutting plugins first, then every module's routes. */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger ?? {
      level: config.LOG_LEVEL,
      redact: {
        paths: ['req.headers.authorization', '*.client_secret', '*.clientSecret', '*.access_token', '*.password'],
        censor: '[redacted]',
      },
    },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Malformed or overlong path segments never reach a route: answer them as problems too.
    frameworkErrors: (err, req, reply) => {
      reply.header('x-request-id', req.id);
      const detail = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'The URL is not valid (bad percent-encoding?)';
      return sendProblem(reply, badRequest(detail, [{ path: 'url', message: detail }]));
    },
    // A first start on a slow disk migrates from scratch; give plugins time.
    pluginTimeout: 120_000,
  });

  app.setValidatorCompiler(validatorCompiler);
  // Responses are built by services to the documented schemas; serialise them as plain JSON
  // (validating large reports on every response would cost more than it protects).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerProblemHandlers(app);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(databasePlugin, { config, database: opts.database });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  // Many HTTP clients send `Content-Type: application/json` with an empty body on DELETE or on a
  // bodiless POST (sign, finalize): treat that as no body rather than malformed JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    return parseJson(req, text, done);
  });
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: config.BATCH_BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));
  // With REDIS_URL the counters live in Redis (one limit across every process); if Redis does not
  // answer, requests are served unlimited rather than failed (skipOnError).
  const redis = config.REDIS_URL ? await rateLimitRedis(config.REDIS_URL, app.log) : undefined;
  if (redis) app.addHook('onClose', async () => { await redis.quit().catch(() => redis.disconnect()); });
  await app.register(rateLimit, {
    global: true,
    ...(redis ? { redis, nameSpace: config.REDIS_KEY_PREFIX, skipOnError: true } : {}),
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW,
    keyGenerator: (req) => {
      const auth = req.headers.authorization;
      return auth ? createHash('sha256').update(auth).digest('base64url').slice(0, 22) : req.ip;
    },
    errorResponseBuilder: (_req, ctx) => {
      const p = new Problem('rate-limited', `Rate limit of ${ctx.max} requests per ${ctx.after} exceeded; retry later`);
      (p as any).statusCode = 429;
      return p;
    },
  });
  // OpenAPI first: it documents every route registered after it.
  await app.register(openapiPlugin);
  await app.register(metricsPlugin);
  await app.register(authPlugin);
  await app.register(idempotencyPlugin);
  await app.register(inputsPlugin);
  for (const mod of modules) await app.register(mod);
  return app;
}
