import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Problem, badRequest, type FieldError } from './problem.js';
import { findUnstorable, findUnstorableLines } from './unstorable-text.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** API.md: JSON bodies. The CSV and form parsers are registered for the whole app (and Fastify
 * parses text/plain by default), so without this check a CSV, form or plain-text body sent to a
 * JSON route got as far as validation (a misleading 400, or for a form of strings a success).
 * A route takes what its OpenAPI entry says: JSON, plus CSV or a form where it declares them. */
function acceptsMediaType(contentType: string | undefined, config: { csvHeader?: string; formBody?: boolean }): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return true;
  if (type === 'text/csv' || type === 'application/csv') return Boolean(config.csvHeader);
  if (type === 'application/x-www-form-urlencoded') return Boolean(config.formBody);
  return false;
}

/** JSON bodies whose text holds no `\u0000` or surrogate escape: nothing unstorable can be in
 * them (raw NUL is not valid JSON, and decoded UTF-8 holds no lone surrogate), so the walk over a
 * 50,000-row batch is skipped. */
const cleanJsonBodies = new WeakSet<FastifyRequest>();
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;
export function noteJsonBodyText(req: FastifyRequest, text: string) {
  if (!UNSTORABLE_ESCAPE.test(text)) cleanJsonBodies.add(req);
}

/** API.md: text PostgreSQL cannot store is a 400 wherever it is sent (path, query, header, body).
 * Checked once here for every route, before validation, so a route added later is covered too. */
function rejectUnstorableText(req: FastifyRequest) {
  const errors: FieldError[] = [
    ...findUnstorable(req.params ?? {}),
    ...findUnstorable(req.query ?? {}),
    ...findUnstorable(req.headers),
    ...(typeof req.body === 'string' ? findUnstorableLines(req.body) : cleanJsonBodies.has(req) ? [] : findUnstorable(req.body)),
  ];
  if (!errors.length) return;
  throw badRequest(`The request holds text that cannot be stored: ${errors.map((e) => `${e.path || 'body'}: ${e.message}`).join('; ')}`,
    errors.map((e) => ({ ...e, path: e.path || 'body' })));
}

/** Checks every request's inputs the same way before route validation. */
export const inputsPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (req) => {
    rejectUnstorableText(req);
    // A UUID is case-insensitive (RFC 9562) and the database answers lowercase ids: an uppercase
    // id in a path names the same resource, and is stored (audit entity ids) and echoed in its
    // canonical lowercase form.
    const params = req.params as Record<string, unknown> | undefined;
    if (params) {
      for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && UUID.test(v)) params[k] = v.toLowerCase();
    }
    if (req.body === undefined || acceptsMediaType(req.headers['content-type'], req.routeOptions.config)) return;
    throw new Problem('unsupported-media-type', `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted here; send application/json`);
  });
}, { name: 'inputs' });
