import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { auditLog, clients } from '../../src/db/schema/index.js';
import type { Database } from '../../src/db/client.js';
import { token } from '../helpers/app.js';
import { SERVER_URL, createServerDatabase, freshDatabase } from '../helpers/db.js';
import { connectPg } from '../../src/db/client.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'sakip-initial-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function fresh() {
  const f = await freshDatabase();
  cleanups.push(() => f.dispose());
  return f.database;
}

/** A config with no SAKIP_BOOTSTRAP_CLIENT_* at all (and no DATABASE_URL: the database is given). */
const bareConfig = (dataDir: string, extra: Record<string, string> = {}) =>
  loadConfig({ SAKIP_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '100000', ...extra });

async function start(database: Database | undefined, config: ReturnType<typeof loadConfig>, logs?: string[]) {
  const logger = logs ? { level: 'info', stream: { write: (line: string) => logs.push(line) } } : false;
  const app = await buildApp({ config, database, logger });
  await app.ready();
  return app;
}

async function activeAdmins(database: Database) {
  return database.db.select().from(clients).where(and(eq(clients.role, 'admin'), isNull(clients.revokedAt)));
}

describe('first start without an admin', () => {
  it('creates an admin and writes its credentials to initial-admin.json (mode 0600), once', async () => {
    const dir = tempDir();
    const database = await fresh();
    const file = join(dir, 'initial-admin.json');

    const logs: string[] = [];
    const first = await start(database, bareConfig(dir), logs);
    try {
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const creds = JSON.parse(readFileSync(file, 'utf8'));
      expect(Object.keys(creds).sort()).toEqual(['clientId', 'clientSecret']);
      // the log says where the credentials are, never the secret
      expect(logs.join('')).toContain(file);
      expect(logs.join('')).not.toContain(creds.clientSecret);
      const tok = await token(first, creds.clientId, creds.clientSecret);
      const claims = JSON.parse(Buffer.from(tok.split('.')[1], 'base64url').toString());
      expect(claims.role).toBe('admin');
      // the token does an admin's work
      const res = await first.inject({ method: 'GET', url: '/v1/clients', headers: { authorization: `Bearer ${tok}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().data.map((c: { clientId: string }) => c.clientId)).toContain(creds.clientId);
      // audited, without the secret
      const audit = await database.db.select().from(auditLog).where(eq(auditLog.action, 'client.initial-admin'));
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0])).not.toContain(creds.clientSecret);
    } finally {
      await first.close();
    }

    const before = readFileSync(file, 'utf8');
    const mtime = statSync(file).mtimeMs;
    const second = await start(database, bareConfig(dir));
    try {
      expect(await activeAdmins(database)).toHaveLength(1);
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(statSync(file).mtimeMs).toBe(mtime);
    } finally {
      await second.close();
    }
  });

  it('writes nothing when SAKIP_BOOTSTRAP_CLIENT_* name the admin', async () => {
    const dir = tempDir();
    const database = await fresh();
    const app = await start(database, bareConfig(dir, {
      SAKIP_BOOTSTRAP_CLIENT_ID: 'boot-admin', SAKIP_BOOTSTRAP_CLIENT_SECRET: 'boot-admin-secret-0123',
    }));
    try {
      expect(existsSync(join(dir, 'initial-admin.json'))).toBe(false);
      const admins = await activeAdmins(database);
      expect(admins.map((c) => c.clientId)).toEqual(['boot-admin']);
    } finally {
      await app.close();
    }
  });

  it('keeps the file beside the embedded database in SAKIP_DATA_DIR', async () => {
    const dir = tempDir();
    const app = await start(undefined, bareConfig(dir));
    try {
      expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
      const creds = JSON.parse(readFileSync(join(dir, 'initial-admin.json'), 'utf8'));
      expect(await token(app, creds.clientId, creds.clientSecret)).toMatch(/^ey/);
    } finally {
      await app.close();
    }
  });

  it.runIf(!!SERVER_URL)('replicas starting together on one server make one admin and one file', async () => {
    const created = await createServerDatabase();
    cleanups.push(() => created.drop());
    const dirs = [tempDir(), tempDir(), tempDir()];
    const databases = dirs.map(() => connectPg(created.url, 3));
    cleanups.push(() => Promise.all(databases.map((d) => d.close())).then(() => undefined));
    const apps = await Promise.all(databases.map((database, i) => start(database, bareConfig(dirs[i]))));
    try {
      expect(await activeAdmins(databases[0])).toHaveLength(1);
      expect(dirs.filter((d) => existsSync(join(d, 'initial-admin.json')))).toHaveLength(1);
    } finally {
      await Promise.all(apps.map((a) => a.close()));
    }
  });
});
