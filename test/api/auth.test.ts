import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, UnsecuredJWT } from 'jose';
import { buildApp } from '../../src/app.js';
import { ADMIN_ID, ADMIN_SECRET, Client, createTestApp, testConfig, token, type TestApp } from '../helpers/app.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/http/auth.js';
import { DUMMY_SECRET_HASH, verifySecret } from '../../src/modules/auth/secrets.js';

// The secret check, observed (it still does the real work): which hash an attempt is checked against.
vi.mock('../../src/modules/auth/secrets.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/modules/auth/secrets.js')>();
  return { ...actual, verifySecret: vi.fn(actual.verifySecret) };
});

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const tokenReq = (payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: payload as any, headers });

describe('POST /v1/auth/token', () => {
  it('issues a bearer JWT for JSON, form and HTTP Basic credentials', async () => {
    const json = await tokenReq({ grant_type: 'client_credentials', client_id: ADMIN_ID, client_secret: ADMIN_SECRET });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(json.json().access_token.split('.')).toHaveLength(3);

    const form = await tokenReq(
      `grant_type=client_credentials&client_id=${ADMIN_ID}&client_secret=${encodeURIComponent(ADMIN_SECRET)}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(form.statusCode).toBe(200);

    const basic = await tokenReq('grant_type=client_credentials', {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${ADMIN_ID}:${ADMIN_SECRET}`).toString('base64')}`,
    });
    expect(basic.statusCode).toBe(200);
    const me = new Client(t.app, basic.json().access_token);
    expect((await me.get('/v1/agencies')).statusCode).toBe(200);
  });

  it.each([
    ['wrong secret', { grant_type: 'client_credentials', client_id: ADMIN_ID, client_secret: 'nope' }, 401],
    ['unknown client', { grant_type: 'client_credentials', client_id: 'ghost', client_secret: 'whatever' }, 401],
    ['no credentials', { grant_type: 'client_credentials' }, 401],
    ['other grant type', { grant_type: 'password', client_id: ADMIN_ID, client_secret: ADMIN_SECRET }, 400],
  ])('rejects %s as a problem', async (_name, body, status) => {
    const res = await tokenReq(body);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().type).toBe(status === 401 ? '/problems/unauthorized' : '/problems/validation');
    expect(res.body).not.toContain(ADMIN_SECRET);
  });

  it('does the same secret check for an unknown client id (a dummy hash) and for a revoked one', async () => {
    const check = vi.mocked(verifySecret);
    check.mockClear();
    expect((await tokenReq({ grant_type: 'client_credentials', client_id: 'no-such-client', client_secret: 'guess-123' })).statusCode).toBe(401);
    expect(check).toHaveBeenCalledTimes(1);
    expect(check).toHaveBeenCalledWith('guess-123', DUMMY_SECRET_HASH);
    const made = (await t.admin.post('/v1/clients', { name: 'dicabut', role: 'evaluator' })).json();
    await t.admin.delete(`/v1/clients/${made.id}`);
    check.mockClear();
    const revoked = await tokenReq({ grant_type: 'client_credentials', client_id: made.clientId, client_secret: made.clientSecret });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().detail).toBe('Unknown client or wrong secret');
    expect(check).toHaveBeenCalledTimes(1);
    expect(check.mock.calls[0][1]).not.toBe(DUMMY_SECRET_HASH);
  });

  it('limits token requests per client id for every credential form, and per address', async () => {
    const limited = await createTestApp({ TOKEN_CLIENT_RATE_LIMIT_MAX: '4', TOKEN_RATE_LIMIT_MAX: '12' });
    try {
      const basic = (secret: string) => limited.app.inject({
        method: 'POST', url: '/v1/auth/token', payload: 'grant_type=client_credentials',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${ADMIN_ID}:${secret}`).toString('base64')}` },
      });
      // createTestApp took one token for the admin already: three wrong secrets over Basic, then 429
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await basic(`wrong-${i}`)).statusCode);
      expect(codes).toEqual([401, 401, 401]);
      const stopped = await basic('wrong-again');
      expect(stopped.statusCode).toBe(429);
      expect(stopped.json().type).toBe('/problems/rate-limited');
      expect(Number(stopped.headers['retry-after'])).toBeGreaterThan(0);
      // the same client id over JSON or a form is the same count (even with the right secret)
      const json = await limited.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: ADMIN_ID, client_secret: ADMIN_SECRET } });
      expect(json.statusCode).toBe(429);
      const form = await limited.app.inject({
        method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=${ADMIN_ID}&client_secret=x`,
      });
      expect(form.statusCode).toBe(429);
      // other ids from the same address: counted per address (7 requests so far, 12 allowed)
      const others = [];
      for (let i = 0; i < 6; i++) {
        others.push((await limited.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: `guess-${i}`, client_secret: 'x' } })).statusCode);
      }
      expect(others).toEqual([401, 401, 401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('publishes the signing key in the JWKS', async () => {
    const res = await t.anonymous.get('/.well-known/jwks.json');
    expect(res.statusCode).toBe(200);
    const [key] = res.json().keys;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key.d).toBeUndefined();
  });
});

describe('bearer tokens', () => {
  const call = (authorization?: string) =>
    t.app.inject({ method: 'GET', url: '/v1/agencies', headers: authorization ? { authorization } : {} });

  it('401s a missing, malformed, foreign, unsigned or expired token', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'ES256', kid: t.app.keys.current.kid })
      .setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setSubject('x').setExpirationTime('1h').sign(privateKey);
    const none = new UnsecuredJWT({ role: 'admin' }).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setSubject('x').encode();
    const expired = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'ES256', kid: t.app.keys.current.kid })
      .setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setSubject(t.admin.info.clientId!)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(t.app.keys.current.privateKey);
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'A bearer token is required'],
      ['Bearer', 'Authorization must be'],
      ['Basic YWRtaW46YWRtaW4=', 'Authorization must be'],
      ['Bearer not.a.jwt', 'invalid'],
      [`Bearer ${foreign}`, 'invalid'],
      [`Bearer ${none}`, 'invalid'],
      [`Bearer ${expired}`, 'expired'],
    ];
    for (const [header, detail] of cases) {
      const res = await call(header);
      expect(res.statusCode, header).toBe(401);
      expect(res.json().type).toBe('/problems/unauthorized');
      expect(res.json().detail).toContain(detail);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('stops a revoked client at once here and in a freshly started process', async () => {
    const agency = await t.agency();
    const viewer = await t.as('viewer', agency.id);
    expect((await viewer.get(`/v1/agencies/${agency.id}`)).statusCode).toBe(200);
    const del = await t.admin.delete(`/v1/clients/${viewer.info.id}`);
    expect(del.statusCode).toBe(204);
    expect((await viewer.get(`/v1/agencies/${agency.id}`)).statusCode).toBe(401);
    expect((await t.admin.get('/v1/clients')).json().data.map((c: any) => c.id)).not.toContain(viewer.info.id);
    const other = await buildApp({ config: testConfig(), database: t.database, logger: false });
    try {
      const res = await other.inject({ method: 'GET', url: `/v1/agencies/${agency.id}`, headers: { authorization: `Bearer ${viewer.token}` } });
      expect(res.statusCode).toBe(401);
    } finally {
      await other.close();
    }
    const again = await t.admin.delete(`/v1/clients/${viewer.info.id}`);
    expect(again.statusCode).toBe(404);
  });

  it('answers a client secret once and stores only a hash', async () => {
    const res = await t.admin.post('/v1/clients', { name: 'SIM Kabupaten', role: 'evaluator' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name: 'SIM Kabupaten', role: 'evaluator', agencyId: null });
    expect(body.clientSecret.length).toBeGreaterThan(30);
    const listed = (await t.admin.get('/v1/clients?limit=500')).json().data.find((c: any) => c.id === body.id);
    expect(listed.clientSecret).toBeUndefined();
    const stored = JSON.stringify(await t.app.db.query.clients.findFirst({ where: (c, { eq }) => eq(c.id, body.id) }));
    expect(stored).not.toContain(body.clientSecret);
    // operators, submitters and viewers need an agency
    const noAgency = await t.admin.post('/v1/clients', { name: 'x', role: 'operator' });
    expect(noAgency.statusCode).toBe(400);
    expect(noAgency.json().errors[0].path).toBe('agencyId');
  });

  it('403s a role that may not act, 404s an agency outside the scope', async () => {
    const a = await t.agency();
    const b = await t.agency();
    const op = await t.as('operator', a.id);
    expect((await op.get('/v1/clients')).statusCode).toBe(403);
    expect((await op.post('/v1/clients', { name: 'x', role: 'admin' })).statusCode).toBe(403);
    expect((await op.get(`/v1/agencies/${b.id}`)).statusCode).toBe(404);
    expect((await op.get(`/v1/agencies/${b.id}`)).json().type).toBe('/problems/not-found');
    const evaluator = await t.as('evaluator');
    expect((await evaluator.get(`/v1/agencies/${b.id}`)).statusCode).toBe(200);
    expect((await evaluator.get('/v1/audit')).statusCode).toBe(200);
  });
});

describe('request rate limits', () => {
  it('count the verified caller: after a 429, other spellings of the same token get no fresh quota', async () => {
    const limited = await createTestApp({ RATE_LIMIT_MAX: '3' });
    try {
      const other = await limited.as('evaluator');
      const raw = limited.admin.token!;
      const get = (authorization: string) => limited.app.inject({ method: 'GET', url: '/v1/agencies', headers: { authorization } });
      // the admin's quota of 3: one went on creating the other client
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await get(`Bearer ${raw}`)).statusCode);
      expect(codes).toEqual([200, 200, 429]);
      for (const spelling of [`bearer ${raw}`, `BEARER ${raw}`, `Bearer  ${raw}`, `Bearer\t${raw}`, `Bearer ${raw} `]) {
        const res = await get(spelling);
        expect(res.statusCode, JSON.stringify(spelling.slice(0, 8))).toBe(429);
        expect(res.json().type).toBe('/problems/rate-limited');
      }
      // another client has its own quota
      expect((await other.get('/v1/agencies')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('count refused tokens against their address', async () => {
    const limited = await createTestApp({ RATE_LIMIT_MAX: '3' });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ method: 'GET', url: '/v1/agencies', headers: { authorization: `Bearer not.a.token${i}` } })).statusCode);
      // createTestApp's own token request counted for this address too
      expect(codes).toEqual([401, 401, 429, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('external identity provider (AUTH_JWKS_URL)', () => {
  let server: Server;
  let url: string;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256' };
    server = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ keys: [jwk] })); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('accepts the provider\'s tokens with role and agency scope from its claims', async () => {
    const app = await buildApp({
      config: testConfig({ AUTH_JWKS_URL: url, AUTH_ISSUER: 'https://sso.example.go.id', AUTH_AUDIENCE: 'sakip' }),
      database: t.database, logger: false,
    });
    try {
      const agency = await t.agency();
      const other = await t.agency();
      const sign = (claims: Record<string, unknown>, aud = 'sakip') => new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).setIssuer('https://sso.example.go.id').setAudience(aud)
        .setSubject('nip-198001012005011001').setExpirationTime('10m').sign(privateKey);
      const ext = new Client(app, await sign({ role: 'viewer', agency_code: agency.code }));
      expect((await ext.get(`/v1/agencies/${agency.id}`)).statusCode).toBe(200);
      expect((await ext.get(`/v1/agencies/${other.id}`)).statusCode).toBe(404);
      const wrongAud = new Client(app, await sign({ role: 'viewer' }, 'other-app'));
      expect((await wrongAud.get('/v1/agencies')).statusCode).toBe(401);
      const noRole = new Client(app, await sign({}));
      expect((await noRole.get('/v1/agencies')).statusCode).toBe(401);
      // a token that never expires is refused
      const forever = await new SignJWT({ role: 'viewer', agency_code: agency.code })
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).setIssuer('https://sso.example.go.id').setAudience('sakip')
        .setSubject('nip-198001012005011001').sign(privateKey);
      const noExp = await new Client(app, forever).get(`/v1/agencies/${agency.id}`);
      expect(noExp.statusCode).toBe(401);
      expect(noExp.json().detail).toContain('exp');
      // an agency_id that is not a UUID is refused, not a database error
      const badAgency = await new Client(app, await sign({ role: 'viewer', agency_id: 'DINKES' })).get('/v1/agencies');
      expect(badAgency.statusCode).toBe(401);
      // the service's own tokens still work next to the provider's
      const own = new Client(app, await token(app, ADMIN_ID, ADMIN_SECRET));
      expect((await own.get('/v1/agencies')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
