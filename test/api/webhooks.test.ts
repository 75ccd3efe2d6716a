import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';
import { startReceiver, waitFor, type Received } from '../helpers/webhook-receiver.js';

const ROWS = 2_000;
const PERIODS = ['2025Q1', '2025Q2', '2025Q3', '2025Q4'];

/** Webhooks end to end: a receiver on loopback (private targets allowed for the test), short
 * retry delays so that "down for a while" takes a second, and a short retry window. */
describe('webhooks', () => {
  let t: TestApp;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let fx: PlanFixture;
  let other: PlanFixture;
  let otherOperator: Client;

  const subscribe = async (api: Client, body: Json) => {
    const res = await api.post('/v1/webhooks', body);
    expect(res.statusCode).toBe(201);
    return res.json();
  };
  const verified = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers) as Json;

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp({
      WEBHOOK_DISPATCH: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_BASE_MS: '40', WEBHOOK_RETRY_MAX_MS: '200',
      WEBHOOK_RETRY_WINDOW_MS: '3000', WEBHOOK_TIMEOUT_MS: '5000',
    });
    fx = await planFixture(t, await t.agency(), { count: ROWS / PERIODS.length });
    other = await planFixture(t, await t.agency(), { count: 1 });
    otherOperator = await t.as('operator', other.agencyId);
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('manages subscriptions: secret once, ETags, scope, validation', async () => {
    const created = await subscribe(t.admin, { url: rx.url('/crud'), events: ['measurement.verified'] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(created).toMatchObject({ url: rx.url('/crud'), events: ['measurement.verified'], agencyId: null, status: 'active' });
    const got = await t.admin.get(`/v1/webhooks/${created.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json().secret).toBeUndefined();
    const etag = got.headers.etag as string;
    expect((await t.admin.patch(`/v1/webhooks/${created.id}`, { events: ['*'] }, { 'if-match': '"stale"' })).statusCode).toBe(412);
    const patched = await t.admin.patch(`/v1/webhooks/${created.id}`, { events: ['*'] }, { 'if-match': etag });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().events).toEqual(['*']);
    expect((await t.admin.get('/v1/webhooks')).json().data.map((w: Json) => w.id)).toContain(created.id);
    // The change events name the URL without its query (receivers often put a token there).
    const tokened = await subscribe(t.admin, { url: `${rx.url('/tok')}?token=rahasia`, events: ['*'], agencyId: other.agencyId });
    expect(tokened.url).toBe(`${rx.url('/tok')}?token=rahasia`);
    const viewer = await t.as('viewer', other.agencyId);
    let seenUrl: string | undefined;
    let cursor = '';
    await waitFor(async () => {
      const page = (await viewer.get(`/v1/changes?types=webhook.created${cursor ? `&cursor=${cursor}` : ''}`)).json();
      cursor = page.nextCursor;
      seenUrl = page.data.find((e: Json) => e.entityId === tokened.id)?.data.url ?? seenUrl;
      return seenUrl !== undefined;
    }, 'the webhook.created event');
    expect(seenUrl).toBe(rx.url('/tok'));
    await t.admin.delete(`/v1/webhooks/${tokened.id}`);

    // An operator manages its own scope only; other roles not at all.
    expect((await otherOperator.get(`/v1/webhooks/${created.id}`)).statusCode).toBe(404);
    expect((await otherOperator.post('/v1/webhooks', { url: rx.url('/x'), events: ['*'], agencyId: fx.agencyId })).statusCode).toBe(404);
    expect((await (await t.as('viewer', other.agencyId)).get('/v1/webhooks')).statusCode).toBe(403);
    for (const bad of [{ url: 'ftp://example.org/x', events: ['*'] }, { url: rx.url('/x'), events: [] }, { url: rx.url('/x'), events: ['measurement'] }, { url: rx.url('/x') }]) {
      expect((await t.admin.post('/v1/webhooks', bad)).statusCode).toBe(400);
    }
    expect((await t.admin.delete(`/v1/webhooks/${created.id}`)).statusCode).toBe(204);
    expect((await t.admin.get(`/v1/webhooks/${created.id}`)).statusCode).toBe(404);
  });

  it('sends a signed test message and logs it', async () => {
    const sub = await subscribe(t.admin, { url: rx.url('/ping'), events: ['*'], agencyId: other.agencyId });
    const res = await t.admin.post(`/v1/webhooks/${sub.id}/test`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ eventId: null, attempt: 1, status: 'delivered', responseStatus: 204 });
    const msg = rx.at('/ping').find((r) => r.event.type === 'webhook.test')!;
    expect(verified(sub.secret, msg)).toMatchObject({ type: 'webhook.test', entityId: sub.id });
    expect(() => verified(`whsec_${Buffer.from('another secret').toString('base64')}`, msg)).toThrow();
    const log = (await t.admin.get(`/v1/webhooks/${sub.id}/deliveries`)).json();
    expect(log.data.find((d: Json) => d.id === res.json().id)).toMatchObject({ eventId: null, status: 'delivered' });
    await t.admin.delete(`/v1/webhooks/${sub.id}`);
  });

  it('delivers every event of a 2,000-row batch and of verification decisions exactly once, signed, in scope', async () => {
    const mine = await subscribe(t.admin, { url: rx.url('/all'), events: ['*'], agencyId: fx.agencyId });
    const decisions = await subscribe(t.admin, { url: rx.url('/decisions'), events: ['measurement.verified', 'measurement.returned'] });
    const outsider = await subscribe(otherOperator, { url: rx.url('/outsider'), events: ['*'] });

    const items = fx.indicators.flatMap((ind, i) => PERIODS.map((period, q) => ({ indicatorId: ind.id, period, value: i + q / 10 })));
    const batch = await t.admin.post('/v1/measurements/batch', { items });
    expect(batch.json().summary.created).toBe(ROWS);
    for (let i = 0; i < 6; i++) {
      const res = await t.admin.post(`/v1/indicators/${fx.indicators[i].id}/measurements/2025Q1/verification`,
        i % 2 ? { decision: 'verified' } : { decision: 'returned', comment: 'lampirkan bukti' });
      expect(res.statusCode).toBe(200);
    }
    expect((await otherOperator.put(`/v1/indicators/${other.indicators[0].id}/measurements/2025Q1`, { value: 5 })).statusCode).toBe(201);

    const measurementsAt = (path: string) => rx.at(path).filter((r) => r.event.entityType === 'measurement').length;
    await waitFor(() => measurementsAt('/all') >= ROWS + 6 && measurementsAt('/decisions') >= 6 && measurementsAt('/outsider') >= 1
      && rx.at('/all').some((r) => r.event.entityId === mine.id), 'deliveries');
    await t.admin.get('/v1/changes'); // one more round trip: nothing further arrives

    const received = rx.at('/all').map((r) => verified(mine.secret, r));
    expect(new Set(received.map((e) => e.id)).size).toBe(received.length);
    // Its own creation is an event of its agency too.
    expect(received.filter((e) => e.entityType === 'webhook').map((e) => [e.type, e.entityId])).toEqual([['webhook.created', mine.id]]);
    const all = received.filter((e) => e.entityType === 'measurement');
    expect(all.length).toBe(ROWS + 6);
    expect(all.filter((e) => e.type === 'measurement.created')).toHaveLength(ROWS);
    expect(all.every((e) => e.agencyId === fx.agencyId)).toBe(true);
    // Per measurement: created before its verification decision (other entities go in parallel).
    all.forEach((e, i) => {
      if (e.type !== 'measurement.created') expect(all.findIndex((c) => c.entityId === e.entityId)).toBeLessThan(i);
    });
    for (const r of rx.at('/all')) expect(r.headers['webhook-id']).toBe(r.event.id);

    const dec = rx.at('/decisions').map((r) => verified(decisions.secret, r));
    expect(dec.map((e) => e.type)).toEqual(['measurement.returned', 'measurement.verified', 'measurement.returned', 'measurement.verified', 'measurement.returned', 'measurement.verified']);
    const out = rx.at('/outsider').map((r) => verified(outsider.secret, r));
    // Only its agency's events (its own creation among them; the cursor starts at the horizon, so an
    // event committed just before may come too), and the measurement once.
    expect(out.every((e) => e.agencyId === other.agencyId)).toBe(true);
    expect(out.filter((e) => e.entityType === 'measurement').map((e) => e.type)).toEqual(['measurement.created']);
    expect(out.filter((e) => e.entityId === outsider.id).map((e) => e.type)).toEqual(['webhook.created']);

    const log = (await t.admin.get(`/v1/webhooks/${mine.id}/deliveries?limit=500`)).json();
    expect(log.data.every((d: Json) => d.status === 'delivered' && d.attempt === 1 && d.responseStatus === 204)).toBe(true);
    for (const s of [mine, decisions, outsider]) await t.admin.delete(`/v1/webhooks/${s.id}`);
  });

  it('delivers the missed events once the receiver is back, in order per entity', async () => {
    const sub = await subscribe(t.admin, { url: rx.url('/flaky'), events: ['measurement.created', 'measurement.updated'], agencyId: other.agencyId });
    rx.state.down = true;
    const refusedBefore = rx.state.refused;
    const url = `/v1/indicators/${other.indicators[0].id}/measurements/2025Q2`;
    for (let v = 1; v <= 5; v++) expect((await t.admin.put(url, { value: v })).statusCode).toBe(v === 1 ? 201 : 200);
    await waitFor(() => rx.state.refused >= refusedBefore + 3, 'failed attempts');
    const pending = (await t.admin.get(`/v1/webhooks/${sub.id}/deliveries`)).json().data;
    expect(pending.some((d: Json) => d.status === 'pending' && d.responseStatus === 503)).toBe(true);
    rx.state.down = false;
    await waitFor(() => rx.at('/flaky').length >= 5, 'retried deliveries');
    const got = rx.at('/flaky').map((r) => verified(sub.secret, r));
    expect(got.map((e) => e.data.value)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(got.map((e) => e.id)).size).toBe(5);
    await t.admin.delete(`/v1/webhooks/${sub.id}`);
  });

  it('disables a subscription that fails for the whole retry window and records webhook.disabled', async () => {
    const start = (await t.admin.get('/v1/changes?types=webhook.disabled')).json().nextCursor;
    const sub = await subscribe(t.admin, { url: rx.url('/fail'), events: ['*'], agencyId: other.agencyId });
    await t.admin.put(`/v1/indicators/${other.indicators[0].id}/measurements/2025Q3`, { value: 1 });
    await waitFor(async () => (await t.admin.get(`/v1/webhooks/${sub.id}`)).json().status === 'disabled', 'disabled');
    const disabledEvent = async () => (await t.admin.get(`/v1/changes?types=webhook.disabled&cursor=${start}`)).json().data
      .find((e: Json) => e.entityId === sub.id);
    await waitFor(async () => (await disabledEvent()) !== undefined, 'event');
    const event = await disabledEvent();
    expect(event).toMatchObject({ type: 'webhook.disabled', entityType: 'webhook', entityId: sub.id, agencyId: other.agencyId });
    const log = (await t.admin.get(`/v1/webhooks/${sub.id}/deliveries`)).json().data;
    const failed = log.find((d: Json) => d.status === 'failed');
    expect(failed).toMatchObject({ responseStatus: 500 });
    expect(failed.attempt).toBeGreaterThan(1);
  });
});

describe('webhook targets without WEBHOOK_ALLOW_PRIVATE', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ WEBHOOK_DISPATCH: 'false' }); });
  afterAll(() => t.close());

  it.each(['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data',
    'http://10.0.0.7/hook', 'http://[::ffff:192.168.0.1]/hook', 'http://0.0.0.0/'])('refuses %s', async (url) => {
    const res = await t.admin.post('/v1/webhooks', { url, events: ['*'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().type).toBe('/problems/validation');
    expect((await t.admin.get('/v1/webhooks')).json().data).toEqual([]);
  });
});
