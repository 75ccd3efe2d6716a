/** Answers a rendered document: its media type, a file name, a strict CSP for HTML (no scripts
 * run in a printed page, whatever its text), and an ETag of the bytes. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { DocumentType } from './service.js';

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);

/** `etag`: one the caller already set and checked (e.g. derived from a digest); else one of the bytes. */
export function sendDocument(reply: FastifyReply, type: DocumentType, body: Buffer | string, filename: string, etag?: string) {
  const ext = type === 'application/pdf' ? 'pdf' : 'html';
  reply.header('etag', etag ?? `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`);
  reply.header('vary', 'Accept');
  if (type === 'text/html') {
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    reply.header('x-content-type-options', 'nosniff');
    return reply.type('text/html; charset=utf-8').header('content-disposition', `inline; filename="${safeName(filename)}.${ext}"`).send(body);
  }
  return reply.type('application/pdf').header('content-disposition', `attachment; filename="${safeName(filename)}.${ext}"`).send(body);
}

/** The absolute URL of the public JWKS as the caller reached this service. */
export const publicJwksUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}/public/jwks.json`;
