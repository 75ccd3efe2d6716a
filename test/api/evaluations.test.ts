import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';

let t: TestApp;
let criteria: Array<{ id: string; scale: 'ABCD' | 'YT'; sub: string }>;
beforeAll(async () => {
  t = await createTestApp();
  const fw = (await t.admin.get('/v1/evaluation-frameworks/permenpanrb-88-2021')).json();
  criteria = fw.components.flatMap((c: Json) => c.subComponents.flatMap((s: Json) => s.criteria.map((cr: Json) => ({ id: cr.id, scale: cr.scale, sub: s.code }))));
});
afterAll(async () => { await t.close(); });

/** Every criterion answered with its scale's best (A/Y) or worst (D/T) answer, then `overrides`. */
function sheet(best: boolean, overrides: Record<string, string | null> = {}) {
  return criteria
    .map((c) => ({ criterionId: c.id, answer: c.id in overrides ? overrides[c.id] : c.scale === 'ABCD' ? (best ? 'A' : 'D') : (best ? 'Y' : 'T') }))
    .filter((a): a is { criterionId: string; answer: string } => a.answer !== null);
}

async function newEvaluation(as: Client = t.admin, year = 2025): Promise<{ agency: Json; evaluation: Json }> {
  const agency = await t.agency();
  const res = await as.post(`/v1/agencies/${agency.id}/evaluations`, { year, frameworkId: 'permenpanrb-88-2021' });
  expect(res.statusCode).toBe(201);
  return { agency, evaluation: res.json() };
}

const scores = (e: Json) => Object.fromEntries(e.components.flatMap((c: Json) => [[c.code, c.score], ...c.subComponents.map((s: Json) => [s.code, s.score])]));

describe('evaluations', () => {
  it('starts empty at 0 D and scores all A as 100 AA', async () => {
    const { evaluation } = await newEvaluation();
    expect(evaluation).toMatchObject({ status: 'draft', year: 2025, total: 0, grade: 'D', answers: [], finalizedAt: null });
    expect(evaluation.components).toHaveLength(4);
    const res = await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: sheet(true) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 100, grade: 'AA' });
    expect(scores(res.json())).toMatchObject({ planning: 30, measurement: 30, reporting: 15, internal_evaluation: 25, 'reporting.quality': 4.5 });
    const got = await t.admin.get(`/v1/evaluations/${evaluation.id}`);
    expect(got.json()).toMatchObject({ total: 100, grade: 'AA' });
    expect(got.json().answers).toHaveLength(criteria.length);
    expect(got.headers.etag).toBeTruthy();
  });

  it('scores all D/T as 0 D', async () => {
    const { evaluation } = await newEvaluation();
    const res = await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: sheet(false) });
    expect(res.json()).toMatchObject({ total: 0, grade: 'D' });
    expect(res.json().components.every((c: Json) => c.score === 0)).toBe(true);
  });

  it('lands exactly on the grade boundaries: 90 is A, 90.01 is AA, 80 is BB', async () => {
    // measurement.utilization answered A, D, D: 15 × 1/3 = 5 exactly, so the total is 90.00.
    const { evaluation: e90 } = await newEvaluation();
    const r90 = (await t.admin.put(`/v1/evaluations/${e90.id}/answers`, { answers: sheet(true, { 'pk-2c-01': 'A', 'pk-2c-02': 'D', 'pk-2c-03': 'D' }) })).json();
    expect(r90).toMatchObject({ total: 90, grade: 'A' });
    expect(scores(r90)).toMatchObject({ 'measurement.utilization': 5, measurement: 20 });

    // planning.fulfillment C, B (two unanswered): 6 × 0.495 = 2.97; internal_evaluation.utilization
    // D, C, Y: 12.5 × 1.33 / 3 = 5.541666...; exact total 90.011666... -> 90.01 -> AA.
    const { evaluation: eAA } = await newEvaluation();
    const rAA = (await t.admin.put(`/v1/evaluations/${eAA.id}/answers`, {
      answers: sheet(true, { 'pk-1a-01': 'C', 'pk-1a-02': null, 'pk-1a-03': 'B', 'pk-1a-04': null, 'pk-4c-01': 'D', 'pk-4c-02': 'C', 'pk-4c-03': 'Y' }),
    })).json();
    expect(rAA).toMatchObject({ total: 90.01, grade: 'AA' });
    expect(scores(rAA)).toMatchObject({ 'planning.fulfillment': 2.97, planning: 26.97, 'internal_evaluation.utilization': 5.54, internal_evaluation: 18.04 });
    expect(rAA.components[0].subComponents[0]).toMatchObject({ criteria: 4, answered: 2 });

    // planning.utilization unanswered (0) and measurement.utilization D, A, A (10): 100 - 15 - 5 = 80 -> BB.
    const { evaluation: e80 } = await newEvaluation();
    const r80 = (await t.admin.put(`/v1/evaluations/${e80.id}/answers`, {
      answers: sheet(true, { 'pk-1c-01': null, 'pk-1c-02': null, 'pk-1c-03': null, 'pk-1c-04': null, 'pk-2c-01': 'D' }),
    })).json();
    expect(r80).toMatchObject({ total: 80, grade: 'BB' });
    expect(r80.components[0].subComponents[2]).toEqual({ code: 'planning.utilization', weight: 15, score: 0, selfScore: 0, criteria: 4, answered: 0, selfAnswered: 0 });
  });

  it('refuses invalid answers with a 400 naming the criterion and writes nothing', async () => {
    const { evaluation } = await newEvaluation();
    await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'B', note: 'Renstra ada' }] });
    const bad = await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, {
      answers: [
        { criterionId: 'pk-1a-01', answer: 'A' },
        { criterionId: 'pk-1b-01', answer: 'B' },
        { criterionId: 'no-such-criterion', answer: 'A' },
        { criterionId: 'pk-1a-02', answer: 'A' }, // a YT criterion
        { criterionId: 'pk-1b-02', answer: 'E' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().type).toBe('/problems/validation');
    expect(bad.json().errors).toEqual([
      { path: 'answers.2.criterionId', message: expect.stringContaining('no-such-criterion') },
      { path: 'answers.3.answer', message: expect.stringContaining('pk-1a-02') },
      { path: 'answers.4.answer', message: expect.stringContaining('pk-1b-02') },
    ]);
    const after = (await t.admin.get(`/v1/evaluations/${evaluation.id}`)).json();
    expect(after.answers).toEqual([expect.objectContaining({ criterionId: 'pk-1a-01', answer: 'B', note: 'Renstra ada' })]);
    // An omitted note keeps the recorded one.
    const kept = (await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'A' }] })).json();
    expect(kept.answers[0]).toMatchObject({ answer: 'A', note: 'Renstra ada' });
    // If-Match: a stale ETag is 412 and changes nothing.
    const stale = await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'D' }] }, { 'if-match': '"stale"' });
    expect(stale.statusCode).toBe(412);
    const etag = (await t.admin.get(`/v1/evaluations/${evaluation.id}`)).headers.etag as string;
    expect((await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'D' }] }, { 'if-match': etag })).statusCode).toBe(200);
  });

  it('refuses a duplicate evaluation and an unknown framework, and replays an Idempotency-Key', async () => {
    const agency = await t.agency();
    const body = { year: 2024, frameworkId: 'permenpanrb-88-2021' };
    const first = await t.admin.post(`/v1/agencies/${agency.id}/evaluations`, body, { 'idempotency-key': 'eval-1' });
    expect(first.statusCode).toBe(201);
    const replay = await t.admin.post(`/v1/agencies/${agency.id}/evaluations`, body, { 'idempotency-key': 'eval-1' });
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
    const dup = await t.admin.post(`/v1/agencies/${agency.id}/evaluations`, { year: 2024, frameworkId: first.json().frameworkId });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().type).toBe('/problems/conflict');
    const unknown = await t.admin.post(`/v1/agencies/${agency.id}/evaluations`, { year: 2024, frameworkId: 'nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('frameworkId');
    expect((await t.admin.post(`/v1/agencies/${agency.id}/evaluations`, { year: 2023, frameworkId: 'permenpanrb-88-2021' })).statusCode).toBe(201);
    const list = await t.admin.get(`/v1/agencies/${agency.id}/evaluations?year=2024`);
    expect(list.json().data.map((e: Json) => e.id)).toEqual([first.json().id]);
    const paged = await t.admin.get(`/v1/agencies/${agency.id}/evaluations?limit=1`);
    expect(paged.json().nextCursor).toBeTruthy();
  });

  it('makes a finalized evaluation immutable', async () => {
    const { evaluation } = await newEvaluation();
    await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: sheet(true) });
    const fin = await t.admin.post(`/v1/evaluations/${evaluation.id}/finalize`);
    expect(fin.statusCode).toBe(200);
    expect(fin.json()).toMatchObject({ status: 'final', total: 100, grade: 'AA', finalizedBy: 'test-admin' });
    expect(fin.json().finalizedAt).toBeTruthy();
    const again = await t.admin.post(`/v1/evaluations/${evaluation.id}/finalize`);
    expect(again.statusCode).toBe(409);
    const write = await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'D' }] });
    expect(write.statusCode).toBe(409);
    expect((await t.admin.get(`/v1/evaluations/${evaluation.id}`)).json().total).toBe(100);
  });

  it('lets evaluators write, viewers and operators only read, and hides other agencies (404)', async () => {
    const parent = await t.agency({ kind: 'regency' });
    const child = await t.agency({ parentId: parent.id });
    const other = await t.agency();
    const evaluator = await t.as('evaluator', parent.id);
    const res = await evaluator.post(`/v1/agencies/${child.id}/evaluations`, { year: 2025, frameworkId: 'permenpanrb-88-2021' });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    expect((await evaluator.put(`/v1/evaluations/${id}/answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'A' }] })).statusCode).toBe(200);
    // A scoped evaluator cannot reach outside its subtree.
    expect((await evaluator.post(`/v1/agencies/${other.id}/evaluations`, { year: 2025, frameworkId: 'permenpanrb-88-2021' })).statusCode).toBe(404);

    const viewer = await t.as('viewer', child.id);
    expect((await viewer.get(`/v1/evaluations/${id}`)).statusCode).toBe(200);
    expect((await viewer.get(`/v1/agencies/${child.id}/evaluations`)).json().data).toHaveLength(1);
    expect((await viewer.put(`/v1/evaluations/${id}/answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'D' }] })).statusCode).toBe(403);
    expect((await viewer.post(`/v1/agencies/${child.id}/evaluations`, { year: 2026, frameworkId: 'permenpanrb-88-2021' })).statusCode).toBe(403);
    const operator = await t.as('operator', child.id);
    expect((await operator.get(`/v1/evaluations/${id}`)).statusCode).toBe(200);
    expect((await operator.post(`/v1/evaluations/${id}/finalize`)).statusCode).toBe(403);

    for (const role of ['operator', 'viewer'] as const) {
      const outsider = await t.as(role, other.id);
      expect((await outsider.get(`/v1/evaluations/${id}`)).statusCode).toBe(404);
      expect((await outsider.get(`/v1/agencies/${child.id}/evaluations`)).statusCode).toBe(404);
    }
  });

  it('audits creation, answers and finalization', async () => {
    const { evaluation } = await newEvaluation();
    await t.admin.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: sheet(true) });
    await t.admin.post(`/v1/evaluations/${evaluation.id}/finalize`);
    const rows = (await t.admin.get(`/v1/audit?entityType=evaluation&entityId=${evaluation.id}`)).json().data;
    expect(rows.map((r: Json) => r.action)).toEqual(['evaluation.finalize', 'evaluation.answers', 'evaluation.create']);
    expect(rows[1]).toMatchObject({ actor: 'test-admin', before: { total: 0, grade: 'D' }, after: { total: 100, grade: 'AA' } });
  });
});
