import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/planning.js';

let t: TestApp;
let criteria: Array<{ id: string; scale: 'ABCD' | 'YT' }>;
beforeAll(async () => {
  t = await createTestApp();
  const fw = (await t.admin.get('/v1/evaluation-frameworks/permenpanrb-88-2021')).json();
  criteria = fw.components.flatMap((c: Json) => c.subComponents.flatMap((s: Json) => s.criteria.map((cr: Json) => ({ id: cr.id, scale: cr.scale }))));
});
afterAll(async () => { await t.close(); });

/** Every criterion answered best (A/Y), then `overrides` (null = leave unanswered). */
function sheet(overrides: Record<string, string | null> = {}) {
  return criteria
    .map((c) => ({ criterionId: c.id, answer: c.id in overrides ? overrides[c.id] : c.scale === 'ABCD' ? 'A' : 'Y' }))
    .filter((a): a is { criterionId: string; answer: string } => a.answer !== null);
}

const scores = (e: Json, key: 'score' | 'selfScore') =>
  Object.fromEntries(e.components.flatMap((c: Json) => [[c.code, c[key]], ...c.subComponents.map((s: Json) => [s.code, s[key]])]));

async function evaluationOf(agency: Json, year = 2025): Promise<Json> {
  const res = await t.admin.post(`/v1/agencies/${agency.id}/evaluations`, { year, frameworkId: 'permenpanrb-88-2021' });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('self-assessment (nilai mandiri) beside the evaluator score', () => {
  let region: Json; let agency: Json; let evaluation: Json; let operator: Client; let evaluator: Client;
  beforeAll(async () => {
    region = await t.agency({ kind: 'regency', name: 'Kabupaten Uji' });
    agency = await t.agency({ parentId: region.id, name: 'Dinas Pendidikan' });
    evaluation = await evaluationOf(agency);
    operator = await t.as('operator', agency.id);
    evaluator = await t.as('evaluator', region.id);
  });

  it('scores both sheets of one evaluation by the same rules', async () => {
    // Self: planning.fulfillment C, B (two of four unanswered): 6 × (0.33 + 0.66) / 2 = 2.97;
    // internal_evaluation.utilization D, C, Y: 12.5 × 1.33 / 3 = 5.541666...; the rest best.
    // Exact total 100 - 6 + 2.97 - 12.5 + 5.541666... = 90.011666... -> 90.01 -> AA.
    const self = await operator.put(`/v1/evaluations/${evaluation.id}/self-answers`, {
      answers: sheet({ 'pk-1a-01': 'C', 'pk-1a-02': null, 'pk-1a-03': 'B', 'pk-1a-04': null, 'pk-4c-01': 'D', 'pk-4c-02': 'C', 'pk-4c-03': 'Y' })
        .map((a) => (a.criterionId === 'pk-1a-01' ? { ...a, note: 'Renstra belum direviu', evidence: [{ title: 'Renstra 2025-2029', url: 'https://sakip.example.go.id/renstra.pdf' }] } : a)),
    });
    expect(self.statusCode, self.body).toBe(200);
    expect(self.json()).toMatchObject({ selfTotal: 90.01, selfGrade: 'AA', total: 0, grade: 'D' });
    expect(scores(self.json(), 'selfScore')).toMatchObject({
      'planning.fulfillment': 2.97, planning: 26.97, 'internal_evaluation.utilization': 5.54, internal_evaluation: 18.04, measurement: 30, reporting: 15,
    });

    // Evaluator: measurement.utilization A, D, D: 15 × 1/3 = 5, the rest best: 100 - 15 + 5 = 90.00 -> A (not AA).
    const ev = await evaluator.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: sheet({ 'pk-2c-01': 'A', 'pk-2c-02': 'D', 'pk-2c-03': 'D' }) });
    expect(ev.statusCode, ev.body).toBe(200);
    const both = ev.json();
    expect(both).toMatchObject({ total: 90, grade: 'A', selfTotal: 90.01, selfGrade: 'AA' });
    expect(scores(both, 'score')).toMatchObject({ 'measurement.utilization': 5, measurement: 20, planning: 30, internal_evaluation: 25 });
    expect(scores(both, 'selfScore')).toMatchObject({ 'measurement.utilization': 15, measurement: 30, planning: 26.97 });
    expect(both.components[0].subComponents[0]).toMatchObject({ criteria: 4, answered: 4, selfAnswered: 2 });

    const got = await t.admin.get(`/v1/evaluations/${evaluation.id}`);
    expect(got.json()).toMatchObject({ total: 90, grade: 'A', selfTotal: 90.01, selfGrade: 'AA' });
  });

  it('lists both answers per criterion, every criterion in sheet order', async () => {
    const res = await evaluator.get(`/v1/evaluations/${evaluation.id}/answers`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data.map((d: Json) => d.criterionId)).toEqual(criteria.map((c) => c.id));
    const first = body.data.find((d: Json) => d.criterionId === 'pk-1a-01');
    expect(first).toMatchObject({
      componentCode: 'planning', subComponentCode: 'planning.fulfillment', scale: 'ABCD',
      self: { answer: 'C', note: 'Renstra belum direviu', evidence: [{ title: 'Renstra 2025-2029', url: 'https://sakip.example.go.id/renstra.pdf' }] },
      evaluator: { answer: 'A', note: null },
    });
    expect(body.data.find((d: Json) => d.criterionId === 'pk-1a-02')).toMatchObject({ scale: 'YT', self: null, evaluator: { answer: 'Y' } });
  });

  it('keeps evidence when a later self answer omits it, and audits the change', async () => {
    const res = await operator.put(`/v1/evaluations/${evaluation.id}/self-answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'B' }] });
    expect(res.statusCode).toBe(200);
    const row = res.json().selfAnswers.find((a: Json) => a.criterionId === 'pk-1a-01');
    expect(row).toMatchObject({ answer: 'B', note: 'Renstra belum direviu', evidence: [{ title: 'Renstra 2025-2029' }] });
    // planning.fulfillment B, B: 6 × 0.66 = 3.96; the self total moves by 0.99 to 91.001666... -> 91.00
    expect(res.json()).toMatchObject({ selfTotal: 91, selfGrade: 'AA' });
    const audit = await t.admin.get(`/v1/audit?entityType=evaluation&entityId=${evaluation.id}`);
    expect(audit.json().data.map((a: Json) => a.action)).toContain('evaluation.self_answers');
  });

  it('refuses a self answer off its scale with a 400 naming it, and writes nothing', async () => {
    const before = (await t.admin.get(`/v1/evaluations/${evaluation.id}`)).json();
    const res = await operator.put(`/v1/evaluations/${evaluation.id}/self-answers`, {
      answers: [{ criterionId: 'pk-1a-03', answer: 'D' }, { criterionId: 'pk-4c-03', answer: 'A' }], // pk-4c-03 is a Y/T criterion
    });
    expectProblem(res, 400, 'validation');
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'answers.1.answer' })]);
    const bad = await operator.put(`/v1/evaluations/${evaluation.id}/self-answers`, {
      answers: [{ criterionId: 'pk-1a-03', answer: 'D', evidence: [{ title: 'x', url: 'javascript:alert(1)' }] }],
    });
    expectProblem(bad, 400, 'validation');
    expect((await t.admin.get(`/v1/evaluations/${evaluation.id}`)).json()).toEqual(before);
  });

  it('lets only the agency\'s operators and admins self-assess, and only evaluators and admins score', async () => {
    const url = `/v1/evaluations/${evaluation.id}`;
    const body = { answers: [{ criterionId: 'pk-1a-02', answer: 'T' }] };
    expectProblem(await evaluator.put(`${url}/self-answers`, body), 403, 'forbidden');
    expectProblem(await operator.put(`${url}/answers`, body), 403, 'forbidden');
    expectProblem(await (await t.as('viewer', agency.id)).put(`${url}/self-answers`, body), 403, 'forbidden');
    const other = await t.agency({ parentId: region.id });
    expectProblem(await (await t.as('operator', other.id)).put(`${url}/self-answers`, body), 404, 'not-found');
    // The region's operator has the agency in its scope.
    expect((await (await t.as('operator', region.id)).put(`${url}/self-answers`, body)).statusCode).toBe(200);
    expect((await t.admin.put(`${url}/self-answers`, { answers: [{ criterionId: 'pk-1a-02', answer: 'Y' }] })).statusCode).toBe(200);
  });

  it('honours If-Match on self answers', async () => {
    const url = `/v1/evaluations/${evaluation.id}`;
    const etag = (await operator.get(url)).headers.etag as string;
    expectProblem(await operator.put(`${url}/self-answers`, { answers: [{ criterionId: 'pk-1a-04', answer: 'T' }] }, { 'if-match': '"stale"' }), 412, 'precondition-failed');
    expect((await operator.put(`${url}/self-answers`, { answers: [{ criterionId: 'pk-1a-04', answer: 'T' }] }, { 'if-match': etag })).statusCode).toBe(200);
  });

  it('freezes both sheets once final (409)', async () => {
    const fin = await evaluator.post(`/v1/evaluations/${evaluation.id}/finalize`);
    expect(fin.statusCode).toBe(200);
    const { selfTotal, total } = fin.json();
    expectProblem(await operator.put(`/v1/evaluations/${evaluation.id}/self-answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'A' }] }), 409, 'conflict');
    expectProblem(await evaluator.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: [{ criterionId: 'pk-1a-01', answer: 'D' }] }), 409, 'conflict');
    expect((await t.admin.get(`/v1/evaluations/${evaluation.id}`)).json()).toMatchObject({ selfTotal, total, status: 'final' });
  });
});

describe('grade history and the region summary', () => {
  it('answers the history oldest year first with both totals', async () => {
    const agency = await t.agency();
    const e2025 = await evaluationOf(agency, 2025);
    const e2023 = await evaluationOf(agency, 2023);
    await t.admin.put(`/v1/evaluations/${e2023.id}/answers`, { answers: sheet() });
    await t.admin.post(`/v1/evaluations/${e2023.id}/finalize`);
    await t.admin.put(`/v1/evaluations/${e2025.id}/self-answers`, { answers: sheet() });
    const res = await t.admin.get(`/v1/agencies/${agency.id}/evaluation-history`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([
      expect.objectContaining({ year: 2023, evaluationId: e2023.id, status: 'final', total: 100, grade: 'AA', selfTotal: 0 }),
      expect.objectContaining({ year: 2025, evaluationId: e2025.id, status: 'draft', total: 0, grade: 'D', selfTotal: 100 }),
    ]);
    const outsider = await t.as('viewer', (await t.agency()).id);
    expectProblem(await outsider.get(`/v1/agencies/${agency.id}/evaluation-history`), 404, 'not-found');
  });

  it('summarises final evaluations below a parent: counts by grade, mean, ranking', async () => {
    const pemda = await t.agency({ kind: 'city', name: 'Kota Uji' });
    const mk = async (code: string, answers: Array<{ criterionId: string; answer: string }> | null, final = true) => {
      const a = await t.agency({ parentId: pemda.id, code });
      const e = await evaluationOf(a, 2024);
      if (answers) await t.admin.put(`/v1/evaluations/${e.id}/answers`, { answers });
      if (final) await t.admin.post(`/v1/evaluations/${e.id}/finalize`);
      return a;
    };
    const a = await mk(`SUMA${Date.now()}`, sheet()); // 100 AA
    const b = await mk(`SUMB${Date.now()}`, sheet({ 'pk-2c-01': 'A', 'pk-2c-02': 'D', 'pk-2c-03': 'D' })); // 90 A
    const c = await mk(`SUMC${Date.now()}`, null); // 0 D
    await mk(`SUMD${Date.now()}`, sheet(), false); // a draft: not counted
    const unit = await t.agency({ parentId: a.id, kind: 'unit', code: `SUMU${Date.now()}` });
    const eu = await evaluationOf(unit, 2024); // below a department: counted (all levels)
    await t.admin.put(`/v1/evaluations/${eu.id}/answers`, { answers: sheet({ 'pk-1c-01': null, 'pk-1c-02': null, 'pk-1c-03': null, 'pk-1c-04': null, 'pk-2c-01': 'D' }) }); // 80 BB
    await t.admin.post(`/v1/evaluations/${eu.id}/finalize`);

    const res = await t.admin.get(`/v1/evaluations/summary?year=2024&parentId=${pemda.id}`);
    expect(res.statusCode, res.body).toBe(200);
    // mean of 100, 90, 80, 0 = 67.50
    expect(res.json()).toEqual({
      year: 2024, agencies: 4, byGrade: { AA: 1, A: 1, BB: 1, B: 0, CC: 0, C: 0, D: 1 }, meanTotal: 67.5,
      ranking: [
        { agencyId: a.id, code: a.code, name: a.name, total: 100, grade: 'AA' },
        { agencyId: b.id, code: b.code, name: b.name, total: 90, grade: 'A' },
        { agencyId: unit.id, code: unit.code, name: unit.name, total: 80, grade: 'BB' },
        { agencyId: c.id, code: c.code, name: c.name, total: 0, grade: 'D' },
      ],
    });
    // scope: an evaluator of department a sees a and its unit only
    const scoped = await (await t.as('evaluator', a.id)).get('/v1/evaluations/summary?year=2024');
    expect(scoped.json()).toMatchObject({ agencies: 2, meanTotal: 90, ranking: [{ agencyId: a.id }, { agencyId: unit.id }] });
    expect((await t.admin.get('/v1/evaluations/summary?year=2099')).json()).toMatchObject({ agencies: 0, meanTotal: null, ranking: [] });
    expectProblem(await t.admin.get('/v1/evaluations/summary'), 400, 'validation');
  });
});
