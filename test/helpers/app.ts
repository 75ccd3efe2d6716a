import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { connectPg, type Database } from '../../src/db/client.js';
import type { Role } from '../../src/http/access.js';
import { createServerDatabase, freshDatabase } from './db.js';

export const ADMIN_ID = 'test-admin';
export const ADMIN_SECRET = 'test-admin-secret-0123456789';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN_ID,
    SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN_SECRET,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MAX: '100000',
    // No webhook dispatcher polling in the background unless a test asks for one: its queries
    // would blur the query counts some tests assert.
    WEBHOOK_DISPATCH: 'false',
    ...overrides,
  });
}

export type Json = any;

/** A caller of the built app: `api.get(url)`, `api.post(url, body)` ... with its bearer token. */
export class Client {
  constructor(readonly app: FastifyInstance, readonly token: string | null, readonly info: { clientId?: string; id?: string } = {}) {}

  request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) };
    if (this.token && !headers.authorization) headers.authorization = `Bearer ${this.token}`;
    return this.app.inject({ ...opts, headers });
  }
  get(url: string, headers: Record<string, string> = {}) { return this.request({ method: 'GET', url, headers }); }
  delete(url: string, headers: Record<string, string> = {}) { return this.request({ method: 'DELETE', url, headers }); }
  post(url: string, body?: unknown, headers: Record<string, string> = {}) { return this.request({ method: 'POST', url, payload: body as any, headers }); }
  put(url: string, body?: unknown, headers: Record<string, string> = {}) { return this.request({ method: 'PUT', url, payload: body as any, headers }); }
  patch(url: string, body?: unknown, headers: Record<string, string> = {}) { return this.request({ method: 'PATCH', url, payload: body as any, headers }); }
}

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  /** The bootstrap admin. */
  admin: Client;
  anonymous: Client;
  /** Creates a client with this role (and agency scope) and returns a caller with its token. */
  as(role: Role, agencyId?: string | null): Promise<Client>;
  /** Creates an agency as admin and returns its body. */
  agency(body?: Partial<{ code: string; name: string; kind: string; parentId: string }>): Promise<Json>;
  close(): Promise<void>;
};

let seq = 0;
export const uniq = (prefix = 'X') => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

export async function token(app: FastifyInstance, clientId: string, secret: string): Promise<string> {
  const res = await app.inject({
    method: 'POST', url: '/v1/auth/token',
    payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
  });
  if (res.statusCode !== 200) throw new Error(`token failed: ${res.statusCode} ${res.body}`);
  return res.json().access_token;
}

/** Builds the real app on a fresh database (server from DATABASE_URL, else PGlite). */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const fresh = await freshDatabase();
  const app = await buildApp({ config: testConfig(overrides), database: fresh.database, logger: false });
  await app.ready();
  const admin = new Client(app, await token(app, ADMIN_ID, ADMIN_SECRET), { clientId: ADMIN_ID });

  return {
    app,
    database: fresh.database,
    admin,
    anonymous: new Client(app, null),
    async as(role, agencyId = null) {
      const res = await admin.post('/v1/clients', { name: `${role} client`, role, agencyId });
      if (res.statusCode !== 201) throw new Error(`client create failed: ${res.statusCode} ${res.body}`);
      const c = res.json();
      return new Client(app, await token(app, c.clientId, c.clientSecret), { clientId: c.clientId, id: c.id });
    },
    async agency(body = {}) {
      const res = await admin.post('/v1/agencies', { code: uniq('A'), name: 'Dinas Uji', kind: 'department', ...body });
      if (res.statusCode !== 201) throw new Error(`agency create failed: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async close() {
      await app.close();
      await fresh.dispose();
    },
  };
}

export type TwoApps = {
  apps: FastifyInstance[];
  /** The bootstrap admin of each app. */
  admins: Client[];
  close(): Promise<void>;
};

/** Two app instances with pools of their own on one fresh PostgreSQL database: two API processes as
 * far as the database can tell, for the guarantees that must hold across replicas. */
export async function twoAppsOnOneDatabase(poolMax: number, overrides: Record<string, string> = {}): Promise<TwoApps> {
  const created = await createServerDatabase();
  const apps: FastifyInstance[] = [];
  const close = async () => {
    for (const app of apps) {
      await app.close();
      await app.database.close();
    }
    await created.drop();
  };
  try {
    for (let i = 0; i < 2; i++) {
      const app = await buildApp({ config: testConfig(overrides), database: connectPg(created.url, poolMax), logger: false });
      apps.push(app);
      await app.ready();
    }
    const admins = await Promise.all(apps.map(async (app) => new Client(app, await token(app, ADMIN_ID, ADMIN_SECRET))));
    return { apps, admins, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
