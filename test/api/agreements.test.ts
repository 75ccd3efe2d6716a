import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodLocks } from '../../src/db/schema/index.js';
import { latestSignedAgreement } from '../../src/modules/agreements/service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createIndicator, expectProblem, planFixture } from '../helpers/planning.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('agreements (Perjanjian Kinerja)', () => {
  it('drafts, replaces, signs, revises; signed versions stay immutable', async () => {
    const a = await t.agency();
    const { objective, indicator } = await planFixture(t.admin, a.id);
    const ind2 = await createIndicator(t.admin, objective.id);
    const op = await t.as('operator', a.id);
    const url = `/v1/agencies/${a.id}/agreements/2025`;
    expectProblem(await op.get(url), 404, 'not-found');
    expectProblem(await op.post(`${url}/sign`, { signedBy: 'Kepala Dinas' }), 409, 'conflict');

    const draft = await op.put(url, { items: [{ indicatorId: indicator.id, target: 80 }], budget: [{ elementId: objective.id, amount: 1500000000 }] });
    expect(draft.statusCode).toBe(201);
    expect(draft.json()).toMatchObject({
      agencyId: a.id, year: 2025, version: 1, status: 'draft', signedBy: null, signedAt: null,
      items: [{ indicatorId: indicator.id, target: 80 }], budget: [{ elementId: objective.id, amount: 1500000000 }],
    });
    const replaced = await op.put(url, { items: [{ indicatorId: indicator.id, target: 82.5 }, { indicatorId: ind2.id, target: 10 }] }, { 'if-match': draft.headers.etag as string });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ version: 1, status: 'draft', budget: [] });
    expect(replaced.json().items).toHaveLength(2);
    expectProblem(await op.put(url, { items: [] }, { 'if-match': draft.headers.etag as string }), 412, 'precondition-failed');

    const signed = await op.post(`${url}/sign`, { signedBy: 'dr. Siti Rahma, Kepala Dinas' });
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ version: 1, status: 'signed', signedBy: 'dr. Siti Rahma, Kepala Dinas', signedAt: expect.any(String) });
    expectProblem(await op.post(`${url}/sign`, { signedBy: 'x' }), 409, 'conflict');
    expect(await latestSignedAgreement(t.database.db, a.id, 2025)).toEqual({ version: 1, targets: new Map([[indicator.id, '82.5000'], [ind2.id, '10.0000']]) });

    // A PUT after signing is a revision (PK perubahan): version 2, version 1 untouched.
    const rev = await op.put(url, { items: [{ indicatorId: indicator.id, target: 85 }] });
    expect(rev.statusCode).toBe(201);
    expect(rev.json()).toMatchObject({ version: 2, status: 'draft' });
    expect((await op.get(url)).json().version).toBe(2);
    expect((await latestSignedAgreement(t.database.db, a.id, 2025))?.version).toBe(1);
    const versions = (await op.get(`${url}/versions`)).json();
    expect(versions.data.map((v: any) => [v.version, v.status])).toEqual([[1, 'signed'], [2, 'draft']]);
    expect(versions.data[0]).toEqual(signed.json());
    await op.post(`${url}/sign`, { signedBy: 'Kepala Dinas' });
    expect(await latestSignedAgreement(t.database.db, a.id, 2025)).toEqual({ version: 2, targets: new Map([[indicator.id, '85.0000']]) });
    expect(await latestSignedAgreement(t.database.db, a.id, 2026)).toBeNull();
    const audit = (await t.admin.get(`/v1/audit?entityType=agreement&entityId=${a.id}/2025/1`)).json().data;
    expect(audit.map((e: any) => e.action)).toEqual(['agreement.sign', 'agreement.update', 'agreement.draft']);
  });

  it('refuses indicators and elements of another agency, duplicates, negative budgets, a locked year', async () => {
    const a = await t.agency();
    const b = await t.agency();
    const mine = await planFixture(t.admin, a.id);
    const theirs = await planFixture(t.admin, b.id);
    const url = `/v1/agencies/${a.id}/agreements/2025`;
    const foreign = await t.admin.put(url, { items: [{ indicatorId: mine.indicator.id, target: 1 }, { indicatorId: theirs.indicator.id, target: 1 }] });
    expectProblem(foreign, 400, 'validation');
    expect(foreign.json().errors).toEqual([{ path: 'items.1.indicatorId', message: 'not an indicator of this agency' }]);
    const dup = await t.admin.put(url, { items: [{ indicatorId: mine.indicator.id, target: 1 }, { indicatorId: mine.indicator.id, target: 2 }] });
    expect(dup.json().errors[0].path).toBe('items.1.indicatorId');
    const el = await t.admin.put(url, { items: [], budget: [{ elementId: theirs.objective.id, amount: 1 }] });
    expect(el.json().errors[0].path).toBe('budget.0.elementId');
    expectProblem(await t.admin.put(url, { items: [], budget: [{ elementId: mine.objective.id, amount: -1 }] }), 400, 'validation');
    const outside = await t.admin.put(`/v1/agencies/${a.id}/agreements/2031`, { items: [{ indicatorId: mine.indicator.id, target: 1 }] });
    expectProblem(outside, 400, 'validation');
    expectProblem(await t.admin.put(`/v1/agencies/${a.id}/agreements/20x5`, { items: [] }), 400, 'validation');

    await t.admin.put(url, { items: [{ indicatorId: mine.indicator.id, target: 1 }] });
    await t.database.db.insert(periodLocks).values({ agencyId: a.id, period: '2025', lockedBy: 'test' });
    expectProblem(await t.admin.put(url, { items: [] }), 409, 'period-locked');
    expectProblem(await t.admin.post(`${url}/sign`, { signedBy: 'x' }), 409, 'period-locked');
    expect((await t.admin.get(url)).json()).toMatchObject({ status: 'draft', items: [{ target: 1 }] });
  });

  it('keeps other agencies out (404) and readers read-only (403)', async () => {
    const a = await t.agency();
    await planFixture(t.admin, a.id);
    const other = await t.as('operator', (await t.agency()).id);
    const url = `/v1/agencies/${a.id}/agreements/2025`;
    expectProblem(await other.put(url, { items: [] }), 404, 'not-found');
    expectProblem(await other.get(`${url}/versions`), 404, 'not-found');
    const evaluator = await t.as('evaluator', a.id);
    expectProblem(await evaluator.put(url, { items: [] }), 403, 'forbidden');
  });
});
