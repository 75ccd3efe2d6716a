import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { ROLES, agencies, clients } from '../db/schema/index.js';
import type { Actor, Role } from './access.js';
import { Problem, forbidden, unauthorized } from './problem.js';
import { unstorableReason } from './unstorable-text.js';

export const TOKEN_ISSUER = 'urn:sakip';
export const TOKEN_AUDIENCE = 'sakip-api';
/** How long a client's revocation may take to reach this process (API.md: within 60 s). */
const CLIENT_CACHE_MS = 30_000;
/** Verified tokens are remembered (by their SHA-256) so a client's next requests skip the ES256
 * signature check: at most this many, each until its `exp` or this long, whichever is sooner.
 * Revocation is still checked on every request (clientActive). */
const TOKEN_CACHE_MAX = 10_000;
const TOKEN_CACHE_MS = 60_000;

type Verified = { payload: JWTPayload; external: boolean; agencyId: string | null; until: number };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No token needed (health, docs, token endpoint). */
    public?: boolean;
    /** Roles allowed to call the route; any authenticated role when absent. */
    roles?: Role[];
  }
  interface FastifyRequest {
    actorOrNull: Actor | null;
    /** The authenticated caller; throws 401 on a public route. */
    readonly actor: Actor;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);

/** One mechanism for every module: verifies the bearer token, checks revocation and the route's
 * roles before the handler runs. Scope (which agencies) is checked by services with `assertInScope`. */
export const authPlugin = fp(async (app: FastifyInstance) => {
  const cfg = app.config;
  const clientCache = new Map<string, { active: boolean; until: number }>();
  const externalJwks = cfg.AUTH_JWKS_URL ? createRemoteJWKSet(new URL(cfg.AUTH_JWKS_URL)) : null;
  /** Least recently used first (a Map keeps insertion order; a hit is moved to the end). */
  const verifiedTokens = new Map<string, Verified>();

  function cachedToken(hash: string): Verified | undefined {
    const hit = verifiedTokens.get(hash);
    if (!hit) return undefined;
    verifiedTokens.delete(hash);
    if (hit.until <= Date.now()) return undefined;
    verifiedTokens.set(hash, hit);
    return hit;
  }

  function rememberToken(hash: string, v: Omit<Verified, 'until'>): void {
    const exp = typeof v.payload.exp === 'number' ? v.payload.exp * 1000 : Date.now();
    const until = Math.min(exp, Date.now() + TOKEN_CACHE_MS);
    if (until <= Date.now()) return;
    if (verifiedTokens.size >= TOKEN_CACHE_MAX) verifiedTokens.delete(verifiedTokens.keys().next().value!);
    verifiedTokens.set(hash, { ...v, until });
  }

  app.decorate('forgetClient', (subject: string) => clientCache.delete(subject));
  app.decorateRequest('actorOrNull', null);
  app.decorateRequest('actor', {
    getter(this: FastifyRequest) {
      if (!this.actorOrNull) throw unauthorized();
      return this.actorOrNull;
    },
  });

  async function clientActive(subject: string): Promise<boolean> {
    const hit = clientCache.get(subject);
    if (hit && hit.until > Date.now()) return hit.active;
    const [row] = await app.db.select({ revokedAt: clients.revokedAt }).from(clients).where(eq(clients.id, subject));
    const active = Boolean(row) && !row.revokedAt;
    clientCache.set(subject, { active, until: Date.now() + CLIENT_CACHE_MS });
    return active;
  }

  async function verifyLocal(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, async (header) => {
      const key = header.kid ? app.keys.publicKeys.get(header.kid) : undefined;
      if (!key) throw new joseErrors.JWKSNoMatchingKey();
      return key;
    }, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: ['ES256'], requiredClaims: ['exp'] });
    if (typeof payload.sub !== 'string' || !(await clientActive(payload.sub))) throw unauthorized('The client of this token is revoked or unknown');
    return payload;
  }

  async function verifyExternal(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, externalJwks!, {
      issuer: cfg.AUTH_ISSUER,
      ...(cfg.AUTH_AUDIENCE ? { audience: cfg.AUTH_AUDIENCE } : {}),
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
      // A token that never expires cannot be taken back once leaked: refuse it.
      requiredClaims: ['exp'],
    });
    return payload;
  }

  /** External tokens name the agency by `agency_id` or by `agency_code`. */
  async function externalAgency(payload: JWTPayload): Promise<string | null> {
    if (typeof payload.agency_id === 'string') {
      // Compared with uuid columns: anything else would be a database error, not a refusal.
      if (!UUID.test(payload.agency_id)) throw unauthorized('The token carries an agency_id that is not a UUID');
      return payload.agency_id.toLowerCase();
    }
    if (typeof payload.agency_code === 'string') {
      if (unstorableReason(payload.agency_code)) throw forbidden('The agency_code in the token is not a valid code');
      const [row] = await app.db.select({ id: agencies.id }).from(agencies).where(eq(agencies.code, payload.agency_code));
      if (!row) throw forbidden(`Unknown agency_code ${payload.agency_code} in token`);
      return row.id;
    }
    return null;
  }

  /** Verifies the bearer token and sets `req.actorOrNull`; throws a 401/403 problem otherwise. */
  async function identify(req: FastifyRequest) {
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i);
    if (!match) throw unauthorized(header ? 'Authorization must be "Bearer <token>"' : 'A bearer token is required');
    const token = match[1];

    const hash = createHash('sha256').update(token).digest('base64url');
    let verified = cachedToken(hash);
    if (!verified) {
      let external: boolean;
      try {
        // Which verifier: only the unverified issuer claim is read here.
        const iss = decodeJwt(token).iss;
        external = Boolean(externalJwks) && iss === cfg.AUTH_ISSUER && iss !== TOKEN_ISSUER;
      } catch {
        throw unauthorized('The token is invalid');
      }
      let payload: JWTPayload;
      try {
        payload = external ? await verifyExternal(token) : await verifyLocal(token);
      } catch (err) {
        // Anything but a bad token (e.g. the database is down) is not the caller's fault.
        if (!(err instanceof joseErrors.JOSEError)) throw err;
        if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'exp') throw unauthorized('The token has no expiry (exp); tokens must expire');
        throw unauthorized(err instanceof joseErrors.JWTExpired ? 'The token has expired' : 'The token is invalid');
      }
      if (!isRole(payload.role)) throw unauthorized('The token carries no valid role');
      const agencyId = external ? await externalAgency(payload) : (typeof payload.agency_id === 'string' ? payload.agency_id : null);
      verified = { payload, external, agencyId, until: 0 };
      rememberToken(hash, verified);
    } else if (!verified.external && !(await clientActive(String(verified.payload.sub)))) {
      throw unauthorized('The client of this token is revoked or unknown');
    }
    const { payload, agencyId } = verified;
    const role = payload.role as Role;
    req.actorOrNull = {
      subject: String(payload.sub),
      clientId: String(payload.client_id ?? payload.sub),
      role,
      agencyId,
      requestId: req.id,
    };
  }

  app.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config;
    const url = req.routeOptions.url;
    // Unknown routes fall through to the 404 handler.
    if (!url) return;
    // The interactive docs are public.
    if (config.public || url === '/docs' || url.startsWith('/docs/')) return app.limits.caller(req, reply);
    let refused: unknown = null;
    try {
      await identify(req);
    } catch (err) {
      // A refused token still counts against its address's limit; a database error is a 503 now.
      if (!(err instanceof Problem)) throw err;
      refused = err;
    }
    // Counted for the verified caller (or the IP): after verification, never from the header text.
    await app.limits.caller(req, reply);
    if (refused) throw refused;
    const role = req.actorOrNull!.role;
    if (config.roles && !config.roles.includes(role)) {
      throw forbidden(`Role ${role} may not call ${req.method} ${req.routeOptions.url}; allowed: ${config.roles.join(', ')}`);
    }
  });
}, { name: 'auth', dependencies: ['db', 'limits'] });

declare module 'fastify' {
  interface FastifyInstance {
    forgetClient(subject: string): void;
  }
}
