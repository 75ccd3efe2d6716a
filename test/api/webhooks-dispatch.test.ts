import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { claimDue } from '../../src/modules/webhooks/dispatch-repository.js';
import { webhookDispatcher } from '../../src/modules/webhooks/dispatcher.js';
import { createTestApp, twoAppsOnOneDatabase, type Client, type Json, type TestApp, type TwoApps } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';
import { startReceiver, waitFor } from '../helpers/webhook-receiver.js';

const ROWS = 2_000;
const PERIODS = ['2025Q1', '2025Q2', '2025Q3', '2025Q4'];
const FAST = { WEBHOOK_DISPATCH: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_BASE_MS: '40', WEBHOOK_RETRY_MAX_MS: '200' };

/** Two API processes dispatch the same subscription's events together: each once. */
describe.runIf(!!process.env.DATABASE_URL)('webhook dispatch by two processes at once', () => {
  let two: TwoApps;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let apps: FastifyInstance[];
  let admin: Client;
  let fx: PlanFixture;

  beforeAll(async () => {
    rx = await startReceiver();
    two = await twoAppsOnOneDatabase(5, FAST);
    ({ apps, admins: [admin] } = two);
    const agency = (await admin.post('/v1/agencies', { code: 'KIRIM', name: 'Dinas Kirim', kind: 'department' })).json();
    fx = await planFixture({ app: apps[0] }, agency, { count: ROWS / PERIODS.length });
  });
  afterAll(async () => {
    await two?.close();
    await rx?.close();
  });

  it('sends every event of a 2,000-row batch exactly once', async () => {
    const sub = (await admin.post('/v1/webhooks', { url: rx.url('/both'), events: ['measurement.created'] })).json();
    const items = fx.indicators.flatMap((ind, i) => PERIODS.map((period) => ({ indicatorId: ind.id, period, value: i })));
    expect((await admin.post('/v1/measurements/batch', { items })).json().summary.created).toBe(ROWS);
    await waitFor(() => rx.at('/both').length >= ROWS, 'deliveries');
    await new Promise((r) => setTimeout(r, 200)); // let a duplicate, if any, arrive too
    const ids = rx.at('/both').map((r) => (new Webhook(sub.secret).verify(r.body, r.headers) as Json).id);
    expect(ids).toHaveLength(ROWS);
    expect(new Set(ids).size).toBe(ROWS);
  });
});

/** A process that claimed a delivery and died before recording it: the delivery is sent again. */
describe('webhook delivery after a crash mid-delivery', () => {
  let t: TestApp;
  let rx: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp({ ...FAST, WEBHOOK_DISPATCH: 'false' });
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  it('re-sends a delivery whose lease ran out', async () => {
    const fx = await planFixture(t, await t.agency(), { count: 1 });
    const sub = (await t.admin.post('/v1/webhooks', { url: rx.url('/crash'), events: ['measurement.created'] })).json();
    await t.admin.put(`/v1/indicators/${fx.indicators[0].id}/measurements/2025Q1`, { value: 1 });
    const dispatcher = webhookDispatcher(t.app.db, t.app.config);
    try {
      // The event is fanned out once no older transaction of the cluster is running.
      let claimed: Awaited<ReturnType<typeof claimDue>> = [];
      await waitFor(async () => {
        await dispatcher.fanOut();
        // The "crashed" process: claims with a short lease, never sends, never records.
        claimed = await claimDue(t.app.db, 10, 300);
        return claimed.length > 0;
      }, 'a claimable delivery');
      expect(claimed.map((c) => c.subscription_id)).toEqual([sub.id]);
      await waitFor(async () => {
        await dispatcher.runOnce();
        return rx.at('/crash').length > 0;
      }, 're-sent delivery');
      expect(rx.at('/crash')).toHaveLength(1);
      const [d] = (await t.admin.get(`/v1/webhooks/${sub.id}/deliveries`)).json().data;
      expect(d).toMatchObject({ eventId: claimed[0].event_id, attempt: 2, status: 'delivered', responseStatus: 204 });
    } finally {
      await dispatcher.stop();
    }
  });
});
