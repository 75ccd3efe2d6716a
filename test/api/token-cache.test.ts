import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Verified tokens are cached (the ES256 check runs once per token and process), but a cached token
 * still ends at its `exp` and at its client's revocation.
 */
describe('the verified-token cache', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ TOKEN_TTL_SECONDS: '60' }); });
  afterAll(async () => {
    vi.useRealTimers();
    await t?.close();
  });

  it('answers a cached token with 401 once it has expired', async () => {
    const agency = await t.agency();
    const viewer = await t.as('viewer', agency.id);
    for (let i = 0; i < 3; i++) expect((await viewer.get(`/v1/agencies/${agency.id}`)).statusCode).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    const res = await viewer.get(`/v1/agencies/${agency.id}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain('expired');
    vi.useRealTimers();
  });

  it('answers a cached token with 401 once its client is revoked', async () => {
    const agency = await t.agency();
    const viewer = await t.as('viewer', agency.id);
    for (let i = 0; i < 3; i++) expect((await viewer.get(`/v1/agencies/${agency.id}`)).statusCode).toBe(200);
    expect((await t.admin.delete(`/v1/clients/${viewer.info.id}`)).statusCode).toBe(204);
    expect((await viewer.get(`/v1/agencies/${agency.id}`)).statusCode).toBe(401);
  });

  it('rejects a token whose signature was altered even when the original is cached', async () => {
    const agency = await t.agency();
    const viewer = await t.as('viewer', agency.id);
    expect((await viewer.get(`/v1/agencies/${agency.id}`)).statusCode).toBe(200);
    const [h, p, sig] = viewer.token!.split('.');
    const altered = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const res = await t.app.inject({ method: 'GET', url: `/v1/agencies/${agency.id}`, headers: { authorization: `Bearer ${altered}` } });
    expect(res.statusCode).toBe(401);
  });
});
