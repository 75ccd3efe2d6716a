import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from './problem.js';

/** A strong ETag derived from a resource's JSON representation: any visible change changes it. */
export function etagOf(representation: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url').slice(0, 27)}"`;
}

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
  const wanted = String(header).split(',').map((s) => s.trim().replace(/^W\//, ''));
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
