import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { etagOf, notModified } from '../../http/etag.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { publicJwksUrl, sendDocument } from '../documents/send.js';
import { DOCUMENT_TYPES, isDocumentType, renderReport } from '../documents/service.js';
import { reportSchema, yearParam } from '../reports/schemas.js';
import { publicService } from './service.js';

const agencyCode = z.string().min(1).max(64).describe('The agency code');
const listQuery = pageQuery.extend({ year: yearParam.optional(), agencyCode: agencyCode.optional() });
const params = z.object({ agencyCode, year: yearParam });

const publishedMeta = z.object({
  agencyCode: z.string(), agencyName: z.string(), year: z.number().int(), version: z.number().int(),
  digest: z.string().describe('SHA-256 (hex) of the canonical JSON of the report'), submittedAt: z.string(),
}).meta({ id: 'PublishedReportMeta' });
const published = publishedMeta.extend({
  jws: z.string().describe('Compact JWS (ES256) whose payload is the canonical JSON of the report; verify with /public/jwks.json'),
  report: reportSchema,
}).meta({ id: 'PublishedReport' });
const jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

/** Caching headers, and a 304 without a body when the caller has this representation: checked
 * before the document is rendered, so a cached PDF costs no rendering. */
function cached(req: FastifyRequest, reply: FastifyReply, etag: string, maxAge: number): boolean {
  reply.header('etag', etag).header('cache-control', `public, max-age=${maxAge}`).header('vary', 'Accept');
  if (!notModified(req.headers['if-none-match'], etag)) return false;
  reply.code(304).send();
  return true;
}

/**
 * Publication (keterbukaan): submitted LKjIPs for anyone, without a token. Rate limited per IP
 * (tighter than the API), cacheable (ETag, Cache-Control: public, 304).
 */
export async function publicRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = publicService(app.db);
  const tags = ['public'];
  const maxAge = app.config.PUBLIC_CACHE_SECONDS;
  // Per IP only: a made-up Authorization header must not buy a fresh bucket on a public route.
  const rateLimit = { max: app.config.PUBLIC_RATE_LIMIT_MAX, timeWindow: app.config.RATE_LIMIT_WINDOW, keyGenerator: (req: FastifyRequest) => `public:${req.ip}` };

  r.get('/public/v1/reports', {
    config: { public: true, rateLimit },
    schema: {
      tags, operationId: 'listPublishedReports', security: [],
      summary: 'Published LKjIPs: the latest submitted version of each agency and year (no token)',
      description: 'Newest year first, then by agency code. Only submitted versions are ever listed.',
      querystring: listQuery, response: { 200: pageSchema(publishedMeta) },
    },
  }, async (req, reply) => {
    const page = await service.list(req.query);
    if (cached(req, reply, etagOf(page), Math.min(maxAge, 60))) return reply;
    return page;
  });

  r.get('/public/v1/agencies/:agencyCode/reports/:year', {
    config: { public: true, rateLimit, produces: ['application/json', ...DOCUMENT_TYPES] },
    schema: {
      tags, operationId: 'getPublishedReport', security: [],
      summary: 'The latest submitted LKjIP of an agency and year, with digest and JWS (no token; also text/html and application/pdf)',
      description: 'A draft, a year that was never submitted and an unknown agency code are all the same 404. '
        + 'The JWS verifies with /public/jwks.json; the digest is the SHA-256 of its payload.',
      params, response: { 200: published },
    },
  }, async (req, reply) => {
    const { meta, dto } = await service.get(req.params.agencyCode, req.params.year);
    const kind = isDocumentType(req.negotiated) ? req.negotiated.split('/')[1] : 'json';
    const etag = `"${meta.digest.slice(0, 32)}-${meta.version}-${kind}"`;
    if (cached(req, reply, etag, maxAge)) return reply;
    if (isDocumentType(req.negotiated)) {
      const url = `${req.protocol}://${req.host}${req.url.split('?')[0]}`;
      const body = await renderReport(dto.report, req.negotiated, { ...meta, jwksUrl: publicJwksUrl(req), jwsUrl: url });
      return sendDocument(reply, req.negotiated, body, `lkjip-${meta.agencyCode}-${meta.year}-v${meta.version}`, etag);
    }
    return reply.type('application/json; charset=utf-8').send(dto);
  });

  r.get('/public/jwks.json', {
    config: { public: true, rateLimit },
    schema: {
      tags, operationId: 'getPublicJwks', security: [],
      summary: 'The service\'s public keys (the same as /.well-known/jwks.json), to verify published reports offline',
      description: 'A JSON Web Key Set with the ES256 public keys that sign submitted reports; cacheable, no token.',
      response: { 200: jwks },
    },
  }, async (req, reply) => {
    const body = app.keys.jwks;
    if (cached(req, reply, etagOf(body), maxAge)) return reply;
    return body;
  });
}
