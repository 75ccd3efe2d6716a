import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { buildApp } from '../../src/app.js';
import { ADMIN_ID, ADMIN_SECRET, Client, testConfig, token } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Whether a Redis server answers PING at REDIS_URL (within a second). */
function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

// In CI (.ci/run starts Redis) the test must run; elsewhere it needs a Redis server to count in.
const available = Boolean(process.env.CI) || (await redisAnswers(REDIS_URL));

/**
 * Two API processes (two apps on one database) with one REDIS_URL count one rate limit: with
 * RATE_LIMIT_MAX=5, three requests on A and two on B use it up, and the sixth, on either, is 429.
 * A key prefix of its own per run keeps runs from counting each other's requests.
 */
describe.runIf(available)('rate limits counted in Redis across processes', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let a: FastifyInstance;
  let b: FastifyInstance;
  const prefix = `sakip-test-${randomBytes(6).toString('hex')}-`;

  beforeAll(async () => {
    fresh = await freshDatabase();
    const config = testConfig({ RATE_LIMIT_MAX: '5', REDIS_URL, REDIS_KEY_PREFIX: prefix });
    a = await buildApp({ config, database: fresh.database, logger: false });
    b = await buildApp({ config, database: fresh.database, logger: false });
    await Promise.all([a.ready(), b.ready()]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fresh?.dispose();
  });

  it('the sixth request, split over two apps, is 429 rate-limited', async () => {
    const t = await token(a, ADMIN_ID, ADMIN_SECRET); // the token request counts by IP, not by this token
    const onA = new Client(a, t);
    const onB = new Client(b, t);
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await onA.get('/v1/agencies')).statusCode);
    for (let i = 0; i < 2; i++) codes.push((await onB.get('/v1/agencies')).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200]);
    const sixth = await onB.get('/v1/agencies');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().type).toMatch(/rate-limited$/);
    expect((await onA.get('/v1/agencies')).statusCode).toBe(429);
  });

  it('a process alone (no REDIS_URL) counts only its own requests', async () => {
    const local = await buildApp({ config: testConfig({ RATE_LIMIT_MAX: '5' }), database: fresh.database, logger: false });
    try {
      const t = await token(local, ADMIN_ID, ADMIN_SECRET);
      const c = new Client(local, t);
      for (let i = 0; i < 5; i++) expect((await c.get('/v1/agencies')).statusCode).toBe(200);
      expect((await c.get('/v1/agencies')).statusCode).toBe(429);
    } finally {
      await local.close();
    }
  });
});

/** Redis down must not take the service down: requests are served (unlimited) while it is away. */
describe('rate limits when Redis does not answer', () => {
  it('keeps serving', async () => {
    const fresh = await freshDatabase();
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    const app = await buildApp({ config: testConfig({ RATE_LIMIT_MAX: '2', REDIS_URL: 'redis://127.0.0.1:1' }), database: fresh.database, logger: false });
    try {
      await app.ready();
      const c = new Client(app, await token(app, ADMIN_ID, ADMIN_SECRET));
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await c.get('/v1/agencies')).statusCode);
      expect(codes).toEqual([200, 200, 200, 200]);
    } finally {
      await app.close();
      await fresh.dispose();
    }
  });
});
