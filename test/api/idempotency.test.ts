import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, uniq, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('Idempotency-Key on POST', () => {
  it('replays the first response without doing the work again', async () => {
    const key = `key-${uniq()}`;
    const body = { code: uniq('I'), name: 'Dinas Idempoten', kind: 'department' };
    const first = await t.admin.post('/v1/agencies', body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const second = await t.admin.post('/v1/agencies', body, { 'idempotency-key': key });
    expect(second.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const list = await t.admin.get(`/v1/agencies?code=${body.code}`);
    expect(list.json().data).toHaveLength(1);
    const audit = await t.admin.get(`/v1/audit?entityType=agency&entityId=${first.json().id}`);
    expect(audit.json().data).toHaveLength(1);
  });

  it('422s the same key with another body, and keys are per client', async () => {
    const key = `key-${uniq()}`;
    const first = await t.admin.post('/v1/agencies', { code: uniq('I'), name: 'A', kind: 'unit' }, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const reuse = await t.admin.post('/v1/agencies', { code: uniq('I'), name: 'B', kind: 'unit' }, { 'idempotency-key': key });
    expect(reuse.statusCode).toBe(422);
    expect(reuse.json().type).toBe('/problems/idempotency-key-reuse');
    const otherAdmin = await t.as('admin');
    const mine = await otherAdmin.post('/v1/agencies', { code: uniq('I'), name: 'C', kind: 'unit' }, { 'idempotency-key': key });
    expect(mine.statusCode).toBe(201);
  });

  it('replays an error answer too, so a retry sees the same outcome', async () => {
    const existing = await t.agency();
    const key = `key-${uniq()}`;
    const body = { code: existing.code, name: 'dup', kind: 'unit' };
    const a = await t.admin.post('/v1/agencies', body, { 'idempotency-key': key });
    const b = await t.admin.post('/v1/agencies', body, { 'idempotency-key': key });
    expect(a.statusCode).toBe(409);
    expect(b.statusCode).toBe(409);
    expect(b.body).toBe(a.body);
  });

  it('keeps keys in the database, so another process replays them', async () => {
    const { buildApp } = await import('../../src/app.js');
    const { testConfig } = await import('../helpers/app.js');
    const key = `key-${uniq()}`;
    const body = { code: uniq('I'), name: 'Dua Proses', kind: 'unit' };
    const first = await t.admin.post('/v1/agencies', body, { 'idempotency-key': key });
    const other = await buildApp({ config: testConfig(), database: t.database, logger: false });
    try {
      const res = await other.inject({
        method: 'POST', url: '/v1/agencies', payload: body,
        headers: { authorization: `Bearer ${t.admin.token}`, 'idempotency-key': key },
      });
      expect(res.statusCode).toBe(201);
      expect(res.body).toBe(first.body);
    } finally {
      await other.close();
    }
  });
});
