import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDataException, isDatabaseUnavailable, lockedPeriodOf } from '../db/errors.js';

/** RFC 9457 problem types of API.md: slug -> status and title. */
export const PROBLEM_TYPES = {
  validation: [400, 'Invalid request'],
  unauthorized: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  'not-found': [404, 'Not found'],
  'method-not-allowed': [405, 'Method not allowed'],
  'not-acceptable': [406, 'Not acceptable'],
  conflict: [409, 'Conflict'],
  'period-locked': [409, 'Period locked'],
  'precondition-failed': [412, 'Precondition failed'],
  'payload-too-large': [413, 'Payload too large'],
  'unsupported-media-type': [415, 'Unsupported media type'],
  'idempotency-key-reuse': [422, 'Idempotency key reused with another request'],
  'rate-limited': [429, 'Too many requests'],
  internal: [500, 'Internal server error'],
  unavailable: [503, 'Service unavailable'],
} as const satisfies Record<string, readonly [number, string]>;

export type ProblemType = keyof typeof PROBLEM_TYPES;
export type FieldError = { path: string; message: string };

/** A domain or HTTP error that the error handler turns into a problem response. */
export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** Seconds after which a retry may succeed (sent as Retry-After). */
    readonly options: { retryAfter?: number } = {},
  ) {
    super(detail);
    this.status = PROBLEM_TYPES[type][0];
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new Problem('validation', detail, errors ? { errors } : {});
export const notFound = (what: string) => new Problem('not-found', `${what} not found`);
export const conflict = (detail: string, extra?: Record<string, unknown>) => new Problem('conflict', detail, extra);
export const forbidden = (detail = 'Your role may not do this') => new Problem('forbidden', detail);
export const unauthorized = (detail = 'A valid bearer token is required') => new Problem('unauthorized', detail);
export const periodLocked = (period: string, agencyCode?: string) =>
  new Problem('period-locked', `Period ${period}${agencyCode ? ` of agency ${agencyCode}` : ''} is locked; an admin must unlock it first`, { period });

export function problemBody(type: ProblemType, detail: string, instance?: string, extra: Record<string, unknown> = {}) {
  const [status, title] = PROBLEM_TYPES[type];
  return { type: `/problems/${type}`, title, status, detail, ...(instance ? { instance } : {}), ...extra };
}

export function sendProblem(reply: FastifyReply, p: Problem) {
  const body = problemBody(p.type, p.detail, reply.request.url.split('?')[0], p.extra);
  if (p.status === 401) reply.header('www-authenticate', 'Bearer');
  if (p.options.retryAfter !== undefined) reply.header('retry-after', String(p.options.retryAfter));
  return reply.code(p.status).type('application/problem+json').send(body);
}

/** The problem document schema, for OpenAPI. */
export const problemSchema = z
  .object({
    type: z.string().describe('Relative URI /problems/<slug>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .loose()
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

function zodIssuesToErrors(err: { validation: Array<{ instancePath?: string; message?: string }> }): FieldError[] {
  // instancePath is "/items/0/value"; integrators get "items.0.value".
  return err.validation.map((v) => ({
    path: (v.instancePath ?? '').split('/').filter(Boolean).join('.'),
    message: v.message ?? 'invalid',
  }));
}

/** Maps everything thrown in a request to a problem; 5xx never carry internals. */
export function registerProblemHandlers(app: FastifyInstance) {
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, new Problem('not-found', `No route ${req.method} ${req.url.split('?')[0]}`)));
  registerErrorHandler(app);
}

/**
 * The one error handler, for `scope` (the root, and the scope the routes live in). Fastify hands
 * an error raised while an error response is being sent (an onSend hook failing, say on a lost
 * database) to the next handler up the scope chain, and past the root to its default handler,
 * whose body quotes the error message (SQL, for a failed query). With the routes one scope below
 * the root and both scopes on this handler, that second error reaches this handler again, which
 * then answers directly, past the hooks that failed.
 */
export function registerErrorHandler(scope: FastifyInstance) {
  scope.setErrorHandler(handleError);
}

const answered = new WeakSet<FastifyRequest>();

function handleError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const problem = toProblem(err, req);
  if (answered.has(req)) return answerDirectly(reply, problem);
  answered.add(req);
  return sendProblem(reply, problem);
}

/** Writes the problem without the onSend hooks (one of them failed sending the first answer). */
function answerDirectly(reply: FastifyReply, p: Problem) {
  const res = reply.raw;
  reply.hijack();
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(problemBody(p.type, p.detail, reply.request.url.split('?')[0], p.extra));
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', 'content-length': String(Buffer.byteLength(body)) };
  const requestId = reply.getHeader('x-request-id');
  if (requestId !== undefined) headers['x-request-id'] = String(requestId);
  if (p.options.retryAfter !== undefined) headers['retry-after'] = String(p.options.retryAfter);
  if (p.status === 401) headers['www-authenticate'] = 'Bearer';
  res.writeHead(p.status, headers);
  res.end(body);
}

type ErrorCause = { code?: unknown; message?: unknown; cause?: unknown } | null | undefined;

/** The message PostgreSQL gave for a data exception (never drizzle's wrapper, which quotes SQL). */
function dataExceptionMessage(err: unknown): string {
  for (let e = err as ErrorCause, i = 0; e && i < 5; e = e.cause as ErrorCause, i++) {
    if (typeof e.code === 'string' && e.code.startsWith('22') && typeof e.message === 'string') return e.message;
  }
  return 'invalid value';
}

function toProblem(err: FastifyError, req: FastifyRequest): Problem {
  if (err instanceof Problem) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = zodIssuesToErrors(err);
    const where = (err as FastifyError & { validationContext?: string }).validationContext ?? 'request';
    return new Problem('validation', `The ${where} is invalid: ${errors.map((e) => `${e.path || where}: ${e.message}`).join('; ')}`, {
      errors: errors.map((e) => ({ ...e, path: e.path || where })),
    });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest(`The body is not valid JSON: ${err.message}`, [{ path: '', message: 'malformed JSON' }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem('payload-too-large', 'The request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem('unsupported-media-type', `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted here; send application/json`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('Content-Length does not match the body');
  }
  if (err.statusCode === 429) return new Problem('rate-limited', err.message || 'Rate limit exceeded, retry later');
  if (err instanceof SyntaxError && err.statusCode === 400) {
    return badRequest(`The body is not valid JSON: ${err.message}`, [{ path: '', message: 'malformed JSON' }]);
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const type = (Object.entries(PROBLEM_TYPES).find(([, [s]]) => s === status)?.[0] ?? 'validation') as ProblemType;
    return new Problem(type, err.message);
  }
  const locked = lockedPeriodOf(err);
  if (locked) return periodLocked(locked);
  if (isDatabaseUnavailable(err)) {
    req.log.error({ err }, 'database unavailable');
    return new Problem('unavailable', 'The database does not answer; retry shortly', {}, { retryAfter: 5 });
  }
  if (isDataException(err)) {
    // A value that passed validation but that the database cannot hold (a net under validation).
    req.log.warn({ err }, 'data exception from the database');
    const message = dataExceptionMessage(err);
    return badRequest(`A value in the request cannot be stored: ${message}`, [{ path: '', message }]);
  }
  req.log.error({ err }, 'unhandled error');
  return new Problem('internal', 'An unexpected error occurred; it has been logged with the request id');
}
