import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, UnsecuredJWT } from 'jose';
import { buildApp } from '../../src/app.js';
import { ADMIN_ID, ADMIN_SECRET, Client, createTestApp, testConfig, token, type TestApp } from '../helpers/app.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/http/auth.js';

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
      // the service's own tokens still work next to the provider's
      const own = new Client(app, await token(app, ADMIN_ID, ADMIN_SECRET));
      expect((await own.get('/v1/agencies')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
