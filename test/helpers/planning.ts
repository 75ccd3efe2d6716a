import { expect } from 'vitest';
import { uniq, type Client, type Json } from './app.js';

/** API-based planning fixtures for any test file: each call goes through the app and asserts success. */
async function ok(res: { statusCode: number; body: string; json(): any }, status: number | number[], what: string): Promise<Json> {
  const want = Array.isArray(status) ? status : [status];
  if (!want.includes(res.statusCode)) throw new Error(`${what} failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function createPlan(api: Client, agencyId: string, body: Partial<{ kind: string; title: string; startYear: number; endYear: number }> = {}): Promise<Json> {
  return ok(await api.post(`/v1/agencies/${agencyId}/plans`, { kind: 'renstra', title: 'Renstra 2025-2029', startYear: 2025, endYear: 2029, ...body }), 201, 'createPlan');
}

export async function createElement(api: Client, planId: string, body: Partial<{ parentId: string; level: string; code: string; title: string; supports: string[] }> = {}): Promise<Json> {
  return ok(await api.post(`/v1/plans/${planId}/elements`, { level: 'goal', code: uniq('E'), title: 'Meningkatnya mutu layanan', ...body }), 201, 'createElement');
}

export async function createIndicator(api: Client, elementId: string, body: Record<string, unknown> = {}): Promise<Json> {
  return ok(await api.post(`/v1/elements/${elementId}/indicators`, {
    code: uniq('IK'), name: 'Persentase layanan sesuai standar', type: 'outcome', unit: '%',
    polarity: 'higher_is_better', aggregation: 'last', ...body,
  }), 201, 'createIndicator');
}

export async function putTarget(api: Client, indicatorId: string, period: string, value: number): Promise<Json> {
  return ok(await api.put(`/v1/indicators/${indicatorId}/targets/${period}`, { value }), [200, 201], 'putTarget');
}

/** An agency with a plan, a goal > objective chain and one indicator on the objective. */
export async function planFixture(api: Client, agencyId: string, plan: Parameters<typeof createPlan>[2] = {}) {
  const p = await createPlan(api, agencyId, plan);
  const goal = await createElement(api, p.id, { level: 'goal', code: 'T1' });
  const objective = await createElement(api, p.id, { level: 'objective', code: 'T1.S1', parentId: goal.id });
  const indicator = await createIndicator(api, objective.id);
  return { plan: p, goal, objective, indicator };
}

export const expectProblem = (res: { statusCode: number; json(): any }, status: number, type: string) => {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(res.json().type).toBe(`/problems/${type}`);
};
