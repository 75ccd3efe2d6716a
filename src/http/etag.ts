import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from './problem.js';

/** A strong ETag derived from a resource's JSON representation: any visible change changes it. */
export function etagOf(representation: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url').slice(0, 27)}"`;
}

/** The entity tags of an If-None-Match or If-Match header, W/ prefixes dropped (weak comparison). */
const tagsOf = (header: string) => header.split(',').map((s) => s.trim().replace(/^W\//, '')).filter(Boolean);

/** Honours If-Match (API.md): a stale or wrong ETag is 412 and nothing changes. */
export function checkIfMatch(req: FastifyRequest, currentRepresentation: unknown | null): void {
  assertIfMatch(ifMatchOf(req), currentRepresentation);
}

/** The If-Match header of a request, for services that take it as a plain value. */
export const ifMatchOf = (req: FastifyRequest): string | undefined => {
  const h = req.headers['if-match'];
  return h === undefined ? undefined : String(h);
};

/** If-Match as a plain value (services): undefined = no precondition. */
export function assertIfMatch(header: string | undefined, currentRepresentation: unknown | null): void {
  if (header === undefined) return;
  const wanted = tagsOf(String(header));
  if (currentRepresentation === null) {
    throw new Problem('precondition-failed', 'If-Match was given but the resource does not exist');
  }
  if (wanted.includes('*')) return;
  if (!wanted.includes(etagOf(currentRepresentation))) {
    throw new Problem('precondition-failed', 'The resource has changed since you read it (If-Match does not match its ETag); read it again');
  }
}

/** Sets the ETag header and returns the representation, for `return withEtag(reply, dto)`. */
export function withEtag<T>(reply: FastifyReply, representation: T): T {
  reply.header('etag', etagOf(representation));
  return representation;
}

/**
 * Whether a GET may answer 304 Not Modified: the request's If-None-Match names the response's
 * ETag (weak comparison, RFC 9110 13.1.2) or is `*`.
 */
export function notModified(ifNoneMatch: string | string[] | undefined, etag: string | number | string[] | undefined): boolean {
  if (ifNoneMatch === undefined || etag === undefined) return false;
  const wanted = tagsOf(([] as string[]).concat(ifNoneMatch).join(','));
  return wanted.includes('*') || wanted.includes(String(etag).replace(/^W\//, ''));
}

/**
 * Conditional GET, once for every route: a successful GET (or HEAD) whose response carries an
 * ETag (withEtag, or a report setting its own) answers 304 with no body when If-None-Match matches.
 */
export function registerConditionalGet(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || reply.statusCode !== 200) return payload;
    if (!notModified(req.headers['if-none-match'], reply.getHeader('etag'))) return payload;
    reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    reply.removeHeader('content-disposition');
    return null;
  });
}
