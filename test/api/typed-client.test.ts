import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSakipClient, type SakipClient } from '../../clients/typescript/src/index.js';
import { ADMIN_ID, ADMIN_SECRET, uniq } from '../helpers/app.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
let api: SakipClient;
beforeAll(async () => {
  s = await startTestServer();
  api = createSakipClient({ baseUrl: s.url, clientId: ADMIN_ID, clientSecret: ADMIN_SECRET });
});
afterAll(() => s.close());

/** The answer's data, or a failure that shows the problem. */
function ok<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) throw new Error(`${answer.response.status}: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

describe('the typed client (clients/typescript) against the running service', () => {
  it('runs the quickstart: token, agency, plan, element, indicator, target, measurement, report', async () => {
    const code = uniq('QS');
    const agency = ok(await api.POST('/v1/agencies', { body: { code, name: 'Dinas Contoh', kind: 'regency' } }));
    expect(agency.code).toBe(code);
    const found = ok(await api.GET('/v1/agencies', { params: { query: { code } } }));
    expect(found.data.map((a) => a.id)).toEqual([agency.id]);

    const plan = ok(await api.POST('/v1/agencies/{agencyId}/plans', {
      params: { path: { agencyId: agency.id } },
      body: { kind: 'rpjmd', title: 'RPJMD 2025-2029', startYear: 2025, endYear: 2029 },
    }));
    const goal = ok(await api.POST('/v1/plans/{planId}/elements', {
      params: { path: { planId: plan.id } }, body: { level: 'goal', code: 'T1', title: 'Meningkatnya kualitas layanan' },
    }));
    const objective = ok(await api.POST('/v1/plans/{planId}/elements', {
      params: { path: { planId: plan.id } }, body: { level: 'objective', code: 'T1.S1', title: 'Meningkatnya kepuasan masyarakat', parentId: goal.id },
    }));
    const indicator = ok(await api.POST('/v1/elements/{elementId}/indicators', {
      params: { path: { elementId: objective.id } },
      body: { code: 'IKU-01', name: 'Indeks kepuasan masyarakat', type: 'outcome', unit: 'indeks', polarity: 'higher_is_better', aggregation: 'last' },
    }));
    const target = ok(await api.PUT('/v1/indicators/{indicatorId}/targets/{period}', {
      params: { path: { indicatorId: indicator.id, period: '2026' } }, body: { value: 80 },
    }));
    expect(target.value).toBe(80);
    const measurement = ok(await api.PUT('/v1/indicators/{indicatorId}/measurements/{period}', {
      params: { path: { indicatorId: indicator.id, period: '2026' } }, body: { value: 84, note: 'Survei kepuasan 2026' },
    }));
    expect(measurement.value).toBe(84);

    const report = ok(await api.GET('/v1/agencies/{agencyId}/reports/{year}', {
      params: { path: { agencyId: agency.id, year: '2026' } },
    }));
    const row = report.objectives.flatMap((o) => o.indicators).find((i) => i.indicatorId === indicator.id);
    expect(row).toMatchObject({ target: 80, realization: 84, achievement: 105 });
  });

  it('answers problems as typed errors', async () => {
    const missing = await api.GET('/v1/agencies/{agencyId}', { params: { path: { agencyId: '00000000-0000-4000-8000-000000000000' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ type: '/problems/not-found', status: 404 });
  });

  it('refuses wrong credentials at the first call', async () => {
    const stranger = createSakipClient({ baseUrl: s.url, clientId: ADMIN_ID, clientSecret: 'wrong-secret' });
    await expect(stranger.GET('/v1/agencies')).rejects.toThrow(/token request failed: 401/);
  });
});
