import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Problem } from './problem.js';

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

/** Checks every request's inputs the same way before route validation. */
export const inputsPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (req) => {
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
