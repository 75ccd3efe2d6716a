/**
 * Content negotiation by `Accept` (RFC 9110 §12.5.1), one mechanism for every route. A route
 * declares the media types it produces in `config.produces` (first = its default); a route that
 * declares nothing produces JSON. The hook picks the best type the caller accepts and leaves it in
 * `req.negotiated`; when the caller accepts none of them the answer is 406 `not-acceptable`.
 *
 * Kept working on purpose: no `Accept`, `*\/*`, `type/*`, q-values (q=0 refuses a type), and
 * `application/problem+json` (a client that only says it reads problems still gets the JSON the
 * route answers; problems are always application/problem+json).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Problem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types the route can answer, its default first; `['application/json']` when absent. */
    produces?: readonly string[];
  }
  interface FastifyRequest {
    /** The media type chosen for the answer (one of the route's `produces`). */
    negotiated: string;
  }
}

export const JSON_ONLY = ['application/json'] as const;

/** How the OpenAPI document describes a non-JSON answer. */
export const MEDIA_DESCRIPTIONS: Record<string, { type: 'string'; format?: string; description: string }> = {
  'text/csv': { type: 'string', description: 'UTF-8 CSV with a BOM, CRLF line ends and a header line' },
  'application/x-ndjson': { type: 'string', description: 'One JSON document per line' },
  'text/html': { type: 'string', description: 'A printable HTML document (Indonesian, A4 print stylesheet)' },
  'application/pdf': { type: 'string', format: 'binary', description: 'A PDF document (A4, selectable text, page numbers)' },
  'text/plain': { type: 'string', description: 'Plain text' },
};

type Range = { type: string; subtype: string; q: number; order: number };

/** The media ranges of an Accept header; malformed entries are ignored. */
export function parseAccept(header: string): Range[] {
  const ranges: Range[] = [];
  header.split(',').forEach((part, order) => {
    const [mediaRange, ...params] = part.trim().split(';');
    const m = mediaRange.trim().toLowerCase().match(/^([a-z0-9!#$&^_.+-]+|\*)\/([a-z0-9!#$&^_.+-]+|\*)$/);
    if (!m || (m[1] === '*' && m[2] !== '*')) return;
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k.toLowerCase() === 'q') {
        const n = Number(v);
        q = /^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(v ?? '') ? n : 1;
      }
    }
    ranges.push({ type: m[1], subtype: m[2], q, order });
  });
  return ranges;
}

/**
 * The best of `produces` for an Accept header, or null when none is acceptable. Preference: the
 * caller's q-value, then the most specific range that matched, then the caller's order, then the
 * route's own order (so `*\/*` gives the route's default).
 */
export function negotiate(accept: string | undefined, produces: readonly string[]): string | null {
  if (!accept || !accept.trim()) return produces[0];
  const ranges = parseAccept(accept);
  if (!ranges.length) return produces[0]; // unreadable: as if absent (lenient, like most servers)
  let best: { type: string; q: number; specificity: number; order: number; rank: number } | null = null;
  produces.forEach((type, rank) => {
    const [t, s] = type.split('/');
    // For a JSON route, application/problem+json counts as asking for JSON (see the header).
    const match = (r: Range) => (r.type === t && r.subtype === s ? 3
      : t === 'application' && s === 'json' && r.type === 'application' && r.subtype === 'problem+json' ? 3
        : r.type === t && r.subtype === '*' ? 2 : r.type === '*' ? 1 : 0);
    let found: { q: number; specificity: number; order: number } | null = null;
    for (const r of ranges) {
      const specificity = match(r);
      // The most specific range decides the q-value of a type (text/html;q=0 beats */*).
      if (specificity && (!found || specificity > found.specificity)) found = { q: r.q, specificity, order: r.order };
    }
    if (!found || found.q <= 0) return;
    const better = !best || found.q > best.q
      || (found.q === best.q && (found.specificity > best.specificity
        || (found.specificity === best.specificity && found.order < best.order)));
    if (better) best = { type, rank, ...found };
  });
  return (best as { type: string } | null)?.type ?? null;
}

/** The `Accept` header as one string (several headers are joined). */
const acceptOf = (req: FastifyRequest): string | undefined => {
  const h = req.headers.accept;
  return Array.isArray(h) ? h.join(',') : h;
};

/** Registers the hook; after auth, so a caller without a token learns that first. */
export const negotiationPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('negotiated', '');
  app.addHook('onRequest', async (req, reply) => {
    const schema = req.routeOptions.schema as { hide?: boolean } | undefined;
    // Unmatched URLs (404 handler) and undocumented plugin routes (/docs) are left alone.
    if (!req.routeOptions.url || !schema || schema.hide) {
      req.negotiated = 'application/json';
      return;
    }
    const produces = req.routeOptions.config.produces ?? JSON_ONLY;
    const chosen = negotiate(acceptOf(req), produces);
    if (chosen === null) {
      throw new Problem('not-acceptable', `This resource is available as ${produces.join(', ')}; Accept: ${acceptOf(req)} allows none of them`, { available: [...produces] });
    }
    req.negotiated = chosen;
    // The answer depends on Accept: caches must keep the representations apart.
    if (produces.length > 1) reply.header('vary', 'Accept');
  });
}, { name: 'negotiation' });
