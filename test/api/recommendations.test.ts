import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';

let t: TestApp;
let evaluator: Client;
beforeAll(async () => {
  t = await createTestApp();
  evaluator = await t.as('evaluator');
});
afterAll(async () => { await t.close(); });

/** An agency with an evaluation of `year`, and an operator of that agency. */
async function setup(year = 2025) {
  const agency = await t.agency();
  const evaluation = (await evaluator.post(`/v1/agencies/${agency.id}/evaluations`, { year, frameworkId: 'permenpanrb-88-2021' })).json();
  const operator = await t.as('operator', agency.id);
  return { agency, evaluation, operator };
}

async function recommend(evaluationId: string, body: Partial<Json> = {}): Promise<Json> {
  const res = await evaluator.post(`/v1/evaluations/${evaluationId}/recommendations`, {
    text: 'Perbaiki kualitas indikator kinerja agar memenuhi kriteria SMART', componentCode: 'planning', priority: 'high', dueDate: '2099-06-30', ...body,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

const status = (c: Client, id: string, s: string, comment?: string) => c.post(`/v1/recommendations/${id}/status`, { status: s, ...(comment ? { comment } : {}) });

describe('recommendations and follow-up', () => {
  it('creates recommendations, validating the component, and lists them by status and year', async () => {
    const { agency, evaluation } = await setup();
    const rec = await recommend(evaluation.id);
    expect(rec).toMatchObject({ evaluationId: evaluation.id, agencyId: agency.id, year: 2025, componentCode: 'planning', priority: 'high', dueDate: '2099-06-30', status: 'open', overdue: false });
    const late = await recommend(evaluation.id, { componentCode: null, priority: 'low', dueDate: '2020-01-31' });
    expect(late).toMatchObject({ componentCode: null, overdue: true });

    const bad = await evaluator.post(`/v1/evaluations/${evaluation.id}/recommendations`, { text: 'x', componentCode: 'budgeting', priority: 'high', dueDate: '2099-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('componentCode');
    const badDate = await evaluator.post(`/v1/evaluations/${evaluation.id}/recommendations`, { text: 'x', priority: 'high', dueDate: '2099-13-01' });
    expect(badDate.statusCode).toBe(400);

    const key = { 'idempotency-key': 'rec-1' };
    const body = { text: 'Publikasikan LKjIP', componentCode: 'reporting', priority: 'medium', dueDate: '2099-03-31' };
    const first = await evaluator.post(`/v1/evaluations/${evaluation.id}/recommendations`, body, key);
    const replay = await evaluator.post(`/v1/evaluations/${evaluation.id}/recommendations`, body, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);

    const all = (await t.admin.get(`/v1/agencies/${agency.id}/recommendations?year=2025`)).json().data;
    expect(all.map((r: Json) => r.id)).toEqual([rec.id, late.id, first.json().id]);
    expect((await t.admin.get(`/v1/agencies/${agency.id}/recommendations?year=2024`)).json().data).toEqual([]);
    expect((await t.admin.get(`/v1/agencies/${agency.id}/recommendations?status=verified`)).json().data).toEqual([]);
    const page = (await t.admin.get(`/v1/agencies/${agency.id}/recommendations?limit=2`)).json();
    expect(page.data).toHaveLength(2);
    expect(page.nextCursor).toBeTruthy();
    expect((await t.admin.get(`/v1/recommendations/${rec.id}`)).json()).toEqual(rec);
  });

  it('moves open -> in_progress on the first follow-up and records follow-ups', async () => {
    const { evaluation, operator } = await setup();
    const rec = await recommend(evaluation.id);
    const fu = await operator.post(`/v1/recommendations/${rec.id}/follow-ups`, {
      action: 'Indikator direviu bersama Bappeda', evidence: [{ title: 'Berita acara reviu', url: 'https://example.go.id/ba.pdf' }], progress: 40,
    });
    expect(fu.statusCode).toBe(201);
    expect(fu.json()).toMatchObject({ recommendationId: rec.id, progress: 40, evidence: [{ title: 'Berita acara reviu' }], recommendation: { status: 'in_progress' } });
    const fu2 = await operator.post(`/v1/recommendations/${rec.id}/follow-ups`, { action: 'Renstra direvisi' });
    expect(fu2.json()).toMatchObject({ progress: null, evidence: [], recommendation: { status: 'in_progress' } });
    const list = (await operator.get(`/v1/recommendations/${rec.id}/follow-ups`)).json().data;
    expect(list.map((f: Json) => f.action)).toEqual(['Indikator direviu bersama Bappeda', 'Renstra direvisi']);
    expect((await operator.post(`/v1/recommendations/${rec.id}/follow-ups`, { action: 'x', progress: 101 })).statusCode).toBe(400);
    expect((await operator.post(`/v1/recommendations/${rec.id}/follow-ups`, { action: 'x', evidence: [{ title: 'x', url: 'javascript:alert(1)' }] })).statusCode).toBe(400);
    // Follow-up is the agency's: an evaluator or a viewer may not record one.
    expect((await evaluator.post(`/v1/recommendations/${rec.id}/follow-ups`, { action: 'x' })).statusCode).toBe(403);

    const changes = (await operator.get(`/v1/recommendations/${rec.id}/status-changes`)).json().data;
    expect(changes).toEqual([expect.objectContaining({ fromStatus: 'open', toStatus: 'in_progress', comment: 'first follow-up recorded' })]);
    const audit = (await t.admin.get(`/v1/audit?entityType=recommendation&entityId=${rec.id}`)).json().data;
    expect(audit.map((a: Json) => a.action)).toEqual(['recommendation.status', 'recommendation.create']);
    expect(audit[0]).toMatchObject({ before: { status: 'open' }, after: { status: 'in_progress' } });
    expect((await t.admin.get(`/v1/audit?entityType=follow_up&entityId=${fu.json().id}`)).json().data).toHaveLength(1);
  });

  it('runs every legal transition of the status machine by the right side', async () => {
    const { evaluation, operator } = await setup();
    const rec = await recommend(evaluation.id);
    const steps: Array<[Client, string]> = [
      [operator, 'in_progress'], [operator, 'completed'], [evaluator, 'in_progress'], [t.admin, 'completed'], [t.admin, 'verified'],
    ];
    for (const [who, to] of steps) {
      const res = await status(who, rec.id, to, `ke ${to}`);
      expect(res.statusCode, `-> ${to}`).toBe(200);
      expect(res.json().status).toBe(to);
    }
    const changes = (await t.admin.get(`/v1/recommendations/${rec.id}/status-changes`)).json().data;
    expect(changes.map((c: Json) => `${c.fromStatus}>${c.toStatus}`)).toEqual([
      'open>in_progress', 'in_progress>completed', 'completed>in_progress', 'in_progress>completed', 'completed>verified',
    ]);
    expect(changes[2]).toMatchObject({ comment: 'ke in_progress', changedBy: evaluator.info.clientId });
    const audit = (await t.admin.get(`/v1/audit?entityType=recommendation&entityId=${rec.id}`)).json().data;
    expect(audit.filter((a: Json) => a.action === 'recommendation.status')).toHaveLength(5);
  });

  it('refuses illegal transitions with 409 listing the allowed ones, and the wrong side with 403', async () => {
    const { evaluation, operator } = await setup();
    const rec = await recommend(evaluation.id);
    const illegal = async (who: Client, to: string, allowed: string[]) => {
      const res = await status(who, rec.id, to);
      expect(res.statusCode, `-> ${to}`).toBe(409);
      expect(res.json()).toMatchObject({ type: '/problems/conflict', allowed });
      expect(res.json().detail).toContain(allowed.length ? allowed.join(', ') : 'none');
    };
    await illegal(operator, 'completed', ['in_progress']); // no skipping
    await illegal(evaluator, 'verified', ['in_progress']);
    await illegal(t.admin, 'open', ['in_progress']); // no same-status move
    // open -> in_progress is the agency's move.
    expect((await status(evaluator, rec.id, 'in_progress')).statusCode).toBe(403);
    expect((await status(operator, rec.id, 'in_progress')).statusCode).toBe(200);
    await illegal(operator, 'open', ['completed']);
    await illegal(evaluator, 'verified', ['completed']);
    expect((await status(evaluator, rec.id, 'completed')).statusCode).toBe(403);
    expect((await status(operator, rec.id, 'completed')).statusCode).toBe(200);
    await illegal(operator, 'open', ['in_progress', 'verified']);
    // Verification and sending back are the evaluator's moves; follow-ups wait for a send-back.
    const wrong = await status(operator, rec.id, 'verified');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().detail).toMatch(/evaluator/);
    expect((await status(operator, rec.id, 'in_progress')).statusCode).toBe(403);
    expect((await operator.post(`/v1/recommendations/${rec.id}/follow-ups`, { action: 'x' })).statusCode).toBe(409);
    expect((await status(evaluator, rec.id, 'verified')).statusCode).toBe(200);
    for (const to of ['open', 'in_progress', 'completed', 'verified']) await illegal(t.admin, to, []);
    expect((await operator.post(`/v1/recommendations/${rec.id}/follow-ups`, { action: 'x' })).statusCode).toBe(409);
    // Viewers and submitters are on neither side; unknown statuses are invalid input.
    const viewer = await t.as('viewer', rec.agencyId);
    expect((await status(viewer, rec.id, 'verified')).statusCode).toBe(403);
    expect((await status(t.admin, rec.id, 'done')).statusCode).toBe(400);
  });

  it('summarises the follow-up of an agency-year up to a verified 100% rate', async () => {
    const { agency, evaluation, operator } = await setup(2024);
    const empty = (await operator.get(`/v1/agencies/${agency.id}/follow-up-summary?year=2024`)).json();
    expect(empty).toEqual({ agencyId: agency.id, year: 2024, total: 0, byStatus: { open: 0, in_progress: 0, completed: 0, verified: 0 }, rate: 0, overdue: 0 });

    const recs = [await recommend(evaluation.id), await recommend(evaluation.id, { dueDate: '2020-01-01' }), await recommend(evaluation.id)];
    await operator.post(`/v1/recommendations/${recs[0].id}/follow-ups`, { action: 'mulai' });
    await status(operator, recs[0].id, 'completed');
    await status(evaluator, recs[0].id, 'verified');
    await status(operator, recs[1].id, 'in_progress');
    const mid = (await operator.get(`/v1/agencies/${agency.id}/follow-up-summary?year=2024`)).json();
    expect(mid).toMatchObject({ total: 3, byStatus: { open: 1, in_progress: 1, completed: 0, verified: 1 }, rate: 33.33, overdue: 1 });

    for (const r of recs.slice(1)) {
      if (r.id === recs[2].id) await status(operator, r.id, 'in_progress');
      await status(operator, r.id, 'completed');
      await status(evaluator, r.id, 'verified');
    }
    const done = (await operator.get(`/v1/agencies/${agency.id}/follow-up-summary?year=2024`)).json();
    expect(done).toMatchObject({ total: 3, byStatus: { open: 0, in_progress: 0, completed: 0, verified: 3 }, rate: 100, overdue: 0 });
    expect((await operator.get(`/v1/agencies/${agency.id}/follow-up-summary`)).statusCode).toBe(400);
  });

  it('hides recommendations of other agencies (404) and keeps writes to their roles', async () => {
    const { agency, evaluation, operator } = await setup();
    const rec = await recommend(evaluation.id);
    const other = await t.agency();
    for (const role of ['operator', 'viewer'] as const) {
      const outsider = await t.as(role, other.id);
      expect((await outsider.get(`/v1/recommendations/${rec.id}`)).statusCode).toBe(404);
      expect((await outsider.get(`/v1/recommendations/${rec.id}/follow-ups`)).statusCode).toBe(404);
      expect((await outsider.get(`/v1/agencies/${agency.id}/recommendations`)).statusCode).toBe(404);
      expect((await outsider.get(`/v1/agencies/${agency.id}/follow-up-summary?year=2025`)).statusCode).toBe(404);
    }
    const otherOperator = await t.as('operator', other.id);
    expect((await otherOperator.post(`/v1/recommendations/${rec.id}/follow-ups`, { action: 'x' })).statusCode).toBe(404);
    expect((await status(otherOperator, rec.id, 'in_progress')).statusCode).toBe(404);
    const otherEvaluator = await t.as('evaluator', other.id);
    expect((await otherEvaluator.post(`/v1/evaluations/${evaluation.id}/recommendations`, { text: 'x', priority: 'low', dueDate: '2099-01-01' })).statusCode).toBe(404);

    const viewer = await t.as('viewer', agency.id);
    expect((await viewer.get(`/v1/recommendations/${rec.id}`)).statusCode).toBe(200);
    expect((await viewer.post(`/v1/evaluations/${evaluation.id}/recommendations`, { text: 'x', priority: 'low', dueDate: '2099-01-01' })).statusCode).toBe(403);
    expect((await operator.post(`/v1/evaluations/${evaluation.id}/recommendations`, { text: 'x', priority: 'low', dueDate: '2099-01-01' })).statusCode).toBe(403);
    expect((await viewer.post(`/v1/recommendations/${rec.id}/follow-ups`, { action: 'x' })).statusCode).toBe(403);
  });
});
