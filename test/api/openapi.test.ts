import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentationGaps, HTTP_METHODS } from '../../src/http/openapi-polish.js';
import { ADMIN_ID, ADMIN_SECRET, createTestApp, type Json, type TestApp } from '../helpers/app.js';

let t: TestApp;
let doc: Json;
beforeAll(async () => {
  t = await createTestApp();
  doc = t.app.swagger();
});
afterAll(() => t.close());

const operations = () => Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
  HTTP_METHODS.filter((m) => item[m]).map((m) => ({ where: `${m.toUpperCase()} ${path}`, op: item[m] as Json })));
const resolve = (node: Json) => (node?.$ref ? node.$ref.split('/').slice(1).reduce((o: Json, k: string) => o[k], doc) : node);

describe('the OpenAPI document', () => {
  it('gives every operation an operationId, summary, description and a described tag', () => {
    expect(operations().length).toBeGreaterThan(70);
    expect(documentationGaps(doc)).toEqual([]);
  });

  it('reports a route that lacks its operationId, description or tag, or reuses an operationId', () => {
    const broken = structuredClone(doc);
    delete broken.paths['/v1/agencies'].get.operationId;
    broken.paths['/v1/agencies'].post.description = ' ';
    broken.paths['/v1/plans/{planId}'].get.operationId = 'getAgency';
    broken.paths['/v1/plans/{planId}'].patch.tags = [];
    broken.tags.push({ name: 'undescribed' });
    expect(documentationGaps(broken)).toEqual([
      'GET /v1/agencies: no operationId in the route schema',
      'POST /v1/agencies: no description in the route schema',
      'GET /v1/plans/{planId}: operationId getAgency is also used by GET /v1/agencies/{agencyId}',
      'PATCH /v1/plans/{planId}: no tags in the route schema',
      'tag undescribed: no description (add it to TAGS in src/http/openapi.ts)',
    ]);
  });

  it('has examples for every JSON request body and success answer', () => {
    const missing: string[] = [];
    for (const { where, op } of operations()) {
      const bodies = Object.entries<Json>(op.requestBody?.content ?? {}).map(([type, m]) => [`${where} request ${type}`, m] as const);
      const answers = Object.entries<Json>(op.responses).filter(([status]) => status.startsWith('2'))
        .flatMap(([status, r]) => Object.entries<Json>(resolve(r).content ?? {}).map(([type, m]) => [`${where} ${status} ${type}`, m] as const));
      for (const [label, media] of [...bodies, ...answers]) {
        if ((/json|form/.test(label) || /request text\/csv/.test(label)) && media.example === undefined && media.examples === undefined) missing.push(label);
      }
    }
    expect(missing).toEqual([]);
  });

  it('declares OAuth 2.0 client credentials with the token URL, used by every protected operation', () => {
    expect(doc.components.securitySchemes).toEqual({
      oauth2: expect.objectContaining({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/v1/auth/token', scopes: {} } } }),
    });
    const listAgencies = doc.paths['/v1/agencies'].get;
    expect(listAgencies.security).toEqual([{ oauth2: [] }]);
    expect(doc.paths['/v1/auth/token'].post.security).toEqual([]);
    for (const { where, op } of operations()) expect(op.security, where).toBeDefined();
  });

  it('has servers, a license, and declares the media types the routes really answer', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
    expect(Object.keys(doc.paths['/metrics'].get.responses[200].content)).toEqual(['text/plain']);
    const batch = doc.paths['/v1/measurements/batch'].post.requestBody.content;
    expect(Object.keys(batch).sort()).toEqual(['application/json', 'text/csv']);
    expect(batch['application/json'].schema.anyOf).toBeUndefined();
    expect(batch['application/json'].schema.properties.items.type).toBe('array');
    expect(batch['text/csv'].example).toMatch(/^agency_code,indicator_code,period,value,note\n/);
    const notFound = resolve(doc.paths['/v1/agencies/{agencyId}'].get.responses[404]);
    expect(Object.keys(notFound.content)).toEqual(['application/problem+json']);
    expect(Object.keys(doc.paths['/v1/auth/token'].post.requestBody.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
  });

  it('keeps only component schemas some operation uses (no *Input twins)', () => {
    const text = JSON.stringify({ paths: doc.paths, responses: doc.components.responses });
    const unused = Object.keys(doc.components.schemas).filter((id) => !text.includes(`"#/components/schemas/${id}"`)
      && !JSON.stringify(doc.components.schemas).includes(`"#/components/schemas/${id}"`));
    expect(unused).toEqual([]);
    expect(Object.keys(doc.components.schemas).filter((id) => id.endsWith('Input'))).toEqual([]);
  });

  it('serves the document and a docs page without the online validator', async () => {
    const served = await t.anonymous.get('/openapi.json');
    expect(served.statusCode).toBe(200);
    expect(served.json().paths['/v1/agencies'].get.operationId).toBe('listAgencies');
    const init = await t.anonymous.get('/docs/static/swagger-initializer.js');
    expect(init.statusCode).toBe(200);
    expect(init.body).toMatch(/"validatorUrl":\s*null|validatorUrl: null/);
    expect(init.body).not.toMatch(/validator\.swagger\.io/);
  });

  it('answers the token request Swagger UI sends (form body, client in HTTP Basic)', async () => {
    const basic = Buffer.from(`${ADMIN_ID}:${ADMIN_SECRET}`).toString('base64');
    const res = await t.anonymous.request({
      method: 'POST', url: '/v1/auth/token', payload: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number) });
  });

  it('fails the Redocly lint of npm test on a warning, and passes the document the code serves', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'sakip-openapi-'));
    const lint = (file: string) => spawnSync(process.execPath, [tsx, 'scripts/openapi-lint.ts', file], { cwd: root, encoding: 'utf8' });
    writeFileSync(join(dir, 'served.json'), JSON.stringify(doc));
    expect(lint(join(dir, 'served.json')).status).toBe(0);
    const broken = structuredClone(doc);
    // Redocly only warns about an operation without 4xx answers; the lint of npm test still fails.
    const healthz = broken.paths['/healthz'].get;
    healthz.responses = { 200: healthz.responses[200] };
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    const failed = lint(join(dir, 'broken.json'));
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/warn operation-4xx-response[^]*0 errors and 1 warnings/);
  });
});
