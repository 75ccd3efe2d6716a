import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { authPlugin } from './http/auth.js';
import { databasePlugin } from './http/database.js';
import { registerConditionalGet } from './http/etag.js';
import { idempotencyPlugin } from './http/idempotency.js';
import { inputsPlugin, noteJsonBodyText } from './http/inputs.js';
import { limitsPlugin } from './http/limits.js';
import { metricsPlugin } from './http/metrics.js';
import { negotiationPlugin } from './http/negotiation.js';
import { openapiPlugin } from './http/openapi.js';
import { badRequest, problemBody, registerErrorHandler, registerProblemHandlers, sendProblem } from './http/problem.js';
import { modules } from './modules/index.js';

export type BuildOptions = {
  config: Config;
  /** An already connected database (tests); otherwise one is opened from the config. */
  database?: Database;
  logger?: boolean | object;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function answerClientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Duplex) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, body] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, '{"error":"Request Timeout","message":"Client Timeout","statusCode":408}']
    : err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, '{"error":"Request Header Fields Too Large","message":"Exceeded maximum allowed HTTP header size","statusCode":431}']
      : [400, JSON.stringify(problemBody('validation', 'The request is not valid HTTP (a NUL or control character in a header, or a malformed request line)',
        undefined, { errors: [{ path: 'headers', message: 'not valid HTTP' }] }))];
  const type = status === 400 ? 'application/problem+json' : 'application/json';
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${type}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

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
    // A request Node's HTTP parser refuses (e.g. a NUL or other control character in a header)
    // never reaches a route: answer it as a problem too rather than Fastify's plain JSON.
    clientErrorHandler: answerClientError,
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
  registerConditionalGet(app);

  await app.register(databasePlugin, { config, database: opts.database });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  // Many HTTP clients send `Content-Type: application/json` with an empty body on DELETE or on a
  // bodiless POST (sign, finalize): treat that as no body rather than malformed JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    noteJsonBodyText(req, text);
    return parseJson(req, text, done);
  });
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: config.BATCH_BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));
  await app.register(limitsPlugin);
  // OpenAPI first: it documents every route registered after it.
  await app.register(openapiPlugin);
  await app.register(metricsPlugin);
  await app.register(authPlugin);
  await app.register(negotiationPlugin);
  await app.register(idempotencyPlugin);
  await app.register(inputsPlugin);
  // The routes live one scope below the root, on the same error handler (see registerErrorHandler):
  // an error while an error response is sent is answered by it too, never by Fastify's default.
  await app.register(async (routes) => {
    registerErrorHandler(routes);
    for (const mod of modules) await routes.register(mod);
  });
  return app;
}
