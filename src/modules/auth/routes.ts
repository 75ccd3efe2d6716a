import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { clients } from '../../db/schema/index.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../http/auth.js';
import { Problem, badRequest } from '../../http/problem.js';
import { newId } from '../../db/schema/columns.js';
import { unstorableReason } from '../../http/unstorable-text.js';
import { SIGNING_ALG } from './keys.js';
import { DUMMY_SECRET_HASH, verifySecret } from './secrets.js';

const tokenBody = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().max(200).optional(),
  client_secret: z.string().max(500).optional(),
  scope: z.string().optional(),
}).loose().meta({ examples: [{ grant_type: 'client_credentials', client_id: 'dinkes-3201-operator', client_secret: 's3cr3t-shown-once-0123456789' }] });

const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
}).meta({ id: 'TokenResponse' });

const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).meta({ id: 'JWKS' });

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  // RFC 6749 2.3.1: both parts are form-urlencoded inside Basic.
  const dec = (s: string) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
  return { id: dec(decoded.slice(0, i)), secret: dec(decoded.slice(i + 1)) };
}

const invalidClient = () => new Problem('unauthorized', 'Unknown client or wrong secret', { error: 'invalid_client' });

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/auth/token', {
    config: { public: true, formBody: true },
    schema: {
      operationId: 'createToken', description: 'Exchanges a client id and secret (JSON, form or HTTP Basic) for a bearer JWT; grant_type must be client_credentials.',
      tags: ['auth'],
      summary: 'OAuth 2.0 client credentials: JSON, form or HTTP Basic',
      security: [],
      body: tokenBody.optional(),
      response: { 200: tokenResponse },
    },
  }, async (req, reply) => {
    // Every credential form is counted: per address here, per client id below.
    await app.limits.tokenAddress(req, reply);
    const body = req.body ?? {};
    if (body.grant_type !== 'client_credentials') {
      throw badRequest('grant_type must be client_credentials', [{ path: 'grant_type', message: 'unsupported grant type' }]);
    }
    const basic = basicCredentials(req.headers.authorization);
    // Decoded from base64, so the request-wide check for unstorable text could not see these.
    const unstorable = basic && (unstorableReason(basic.id) ?? unstorableReason(basic.secret));
    if (unstorable) throw badRequest(`The HTTP Basic credentials hold text that cannot be stored: ${unstorable}`, [{ path: 'authorization', message: unstorable }]);
    const id = basic?.id ?? body.client_id;
    const secret = basic?.secret ?? body.client_secret;
    if (!id || !secret) throw new Problem('unauthorized', 'client_id and client_secret are required (form, JSON or HTTP Basic)', { error: 'invalid_client' });

    await app.limits.tokenClient(req, reply, id);

    const [client] = await app.db.select().from(clients).where(eq(clients.clientId, id));
    // The same work whether the id exists or not (a dummy hash for an unknown one), and a revoked
    // client is told only after its secret was checked: ids cannot be told apart by timing.
    const secretOk = await verifySecret(secret, client?.secretHash ?? DUMMY_SECRET_HASH);
    if (!client || client.revokedAt || !secretOk) throw invalidClient();

    const ttl = app.config.TOKEN_TTL_SECONDS;
    const accessToken = await new SignJWT({ role: client.role, agency_id: client.agencyId, client_id: client.clientId })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: app.keys.current.kid, typ: 'JWT' })
      .setSubject(client.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .setJti(newId())
      .sign(app.keys.current.privateKey);
    reply.header('cache-control', 'no-store');
    return { access_token: accessToken, token_type: 'Bearer' as const, expires_in: ttl };
  });

  r.get('/.well-known/jwks.json', {
    config: { public: true },
    schema: {
      operationId: 'getJwks', description: 'The public keys (JWKS) that verify access tokens and the JWS of submitted reports, including retired keys still in use.',
      tags: ['auth'], summary: 'Public keys for tokens and signed report submissions', security: [], response: { 200: jwksSchema },
    },
  }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return app.keys.jwks;
  });
}
