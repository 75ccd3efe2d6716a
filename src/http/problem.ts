import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { lockedPeriodOf } from '../db/errors.js';

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

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

/** Lost or refused database connections: a 503 the client may retry, not a bug. */
function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: any = err, i = 0; e && i < 5; e = e.cause, i++) {
    if (UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && /pool after calling end|Connection terminated|not queryable|PGlite is closed|database timeout|timeout exceeded when trying to connect/i.test(e.message)) return true;
  }
  return false;
}

/** Maps everything thrown in a request to a problem; 5xx never carry internals. */
export function registerProblemHandlers(app: FastifyInstance) {
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, new Problem('not-found', `No route ${req.method} ${req.url.split('?')[0]}`)));

  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof Problem) return sendProblem(reply, err);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = zodIssuesToErrors(err);
      const where = (err as any).validationContext ?? 'request';
      return sendProblem(reply, new Problem('validation', `The ${where} is invalid: ${errors.map((e) => `${e.path || where}: ${e.message}`).join('; ')}`, {
        errors: errors.map((e) => ({ ...e, path: e.path || where })),
      }));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(reply, badRequest(`The body is not valid JSON: ${err.message}`, [{ path: '', message: 'malformed JSON' }]));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, new Problem('payload-too-large', 'The request body is larger than this endpoint accepts'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, new Problem('unsupported-media-type', `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted here; send application/json`));
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(reply, badRequest('Content-Length does not match the body'));
    }
    if (err.statusCode === 429) {
      return sendProblem(reply, new Problem('rate-limited', err.message || 'Rate limit exceeded, retry later'));
    }
    if (err instanceof SyntaxError && err.statusCode === 400) {
      return sendProblem(reply, badRequest(`The body is not valid JSON: ${err.message}`, [{ path: '', message: 'malformed JSON' }]));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const type = (Object.entries(PROBLEM_TYPES).find(([, [s]]) => s === status)?.[0] ?? 'validation') as ProblemType;
      return sendProblem(reply, new Problem(type, err.message));
    }
    const locked = lockedPeriodOf(err);
    if (locked) return sendProblem(reply, periodLocked(locked));
    if (isDatabaseUnavailable(err)) {
      req.log.error({ err }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendProblem(reply, new Problem('unavailable', 'The database does not answer; retry shortly'));
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, new Problem('internal', 'An unexpected error occurred; it has been logged with the request id'));
  });
}
