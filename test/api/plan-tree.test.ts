import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createElement, createIndicator, createPlan } from '../helpers/planning.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** Runs `fn` over `items`, a few at a time (keeps the pg pool busy without flooding it). */
async function inChunks<T, R>(items: T[], fn: (item: T, i: number) => Promise<R>, size = 8): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...await Promise.all(items.slice(i, i + size).map((x, j) => fn(x, i + j))));
  return out;
}

describe('plan tree of realistic size', () => {
  it('answers an RPJMD of 5 goals, 15 objectives, 40 programs, 200 activities and 600 indicators', async () => {
    const regency = await t.agency({ kind: 'regency', name: 'Kabupaten Besar' });
    const plan = await createPlan(t.admin, regency.id, { kind: 'rpjmd', title: 'RPJMD 2025-2029' });
    const goals = await inChunks([...Array(5).keys()], (g) => createElement(t.admin, plan.id, { level: 'goal', code: `T${g + 1}` }));
    const objectives = await inChunks([...Array(15).keys()], (o) =>
      createElement(t.admin, plan.id, { level: 'objective', code: `${goals[o % 5].code}.S${o + 1}`, parentId: goals[o % 5].id }));
    const programs = await inChunks([...Array(40).keys()], (p) =>
      createElement(t.admin, plan.id, { level: 'program', code: `${objectives[p % 15].code}.P${String(p + 1).padStart(2, '0')}`, parentId: objectives[p % 15].id }));
    const activities = await inChunks([...Array(200).keys()], (k) =>
      createElement(t.admin, plan.id, { level: 'activity', code: `${programs[k % 40].code}.K${String(k + 1).padStart(3, '0')}`, parentId: programs[k % 40].id }));
    // 600 indicators: one per objective and program (55), the rest on activities.
    const hosts = [...objectives, ...programs, ...[...Array(545).keys()].map((i) => activities[i % 200])];
    await inChunks(hosts, (el, i) => createIndicator(t.admin, el.id, { code: `IK-${String(i + 1).padStart(3, '0')}`, isKey: i < 15 }));

    const res = await t.admin.get(`/v1/plans/${plan.id}/tree`);
    expect(res.statusCode).toBe(200);
    const tree = res.json();
    const count = { goal: 0, objective: 0, program: 0, activity: 0, sub_activity: 0 } as Record<string, number>;
    let indicators = 0;
    const walk = (nodes: any[], parentLevel: number) => {
      const codes = nodes.map((n) => n.code);
      expect(codes).toEqual([...codes].sort());
      for (const n of nodes) {
        count[n.level]++;
        indicators += n.indicators.length;
        expect(['goal', 'objective', 'program', 'activity'].indexOf(n.level)).toBeGreaterThan(parentLevel);
        for (const i of n.indicators) expect(i.elementId).toBe(n.id);
        walk(n.children, ['goal', 'objective', 'program', 'activity'].indexOf(n.level));
      }
    };
    walk(tree.elements, -1);
    expect(count).toEqual({ goal: 5, objective: 15, program: 40, activity: 200, sub_activity: 0 });
    expect(indicators).toBe(600);
    expect(tree.elements.map((g: any) => g.code)).toEqual(['T1', 'T2', 'T3', 'T4', 'T5']);
    expect(tree.elements[0].children.map((o: any) => o.code)).toEqual(['T1.S1', 'T1.S11', 'T1.S6']);
    const firstObjective = tree.elements[0].children[0];
    expect(firstObjective.indicators.map((i: any) => i.code)).toEqual(['IK-001']);
  }, 120_000);
});
