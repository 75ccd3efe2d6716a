/**
 * `npm run seed -- --demo`: loads the demo region (Kabupaten Sukamaju) through the API itself
 * (buildApp + inject), so every row passes the same validation and leaves its audit trail.
 * Uses the server's configuration (DATABASE_URL, or PGlite in SAKIP_DATA_DIR). Idempotent: does
 * nothing when the demo regency's code already exists. `sakip seed --demo` does the same over HTTP
 * against a running service (src/cli/demo.ts holds the steps both use).
 * On the embedded database it needs the data directory to itself: against a running embedded
 * server it stops with a message naming that server (use `sakip seed --demo` over HTTP instead).
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { DataDirLockedError } from '../src/db/data-dir-lock.js';
import { clients } from '../src/db/schema/index.js';
import { connect, prepareDatabase } from '../src/http/database.js';
import { ensureBootstrapAdmin } from '../src/modules/auth/bootstrap.js';
import { seedDemo, type Call } from '../src/cli/demo.js';

function caller(app: FastifyInstance, token: string): Call {
  // Generic like `Call`: the caller names the shape of the JSON it expects (an empty body is null).
  return async <T,>(method: Parameters<Call>[0], url: string, body?: unknown): Promise<T> => {
    const res = await app.inject({ method, url, payload: body as InjectOptions['payload'], headers: { authorization: `Bearer ${token}` } });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} -> ${res.statusCode} ${res.body}`);
    return (res.body ? res.json() : null) as T;
  };
}

async function main() {
  if (!process.argv.includes('--demo')) {
    console.log('Usage: npm run seed -- --demo   (loads the demo region Kabupaten Sukamaju)');
    return;
  }
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  // Migrate before building the app: a fresh PGlite directory can take longer than a plugin may.
  const database = await connect(config);
  const { initialAdminFile } = await prepareDatabase(database, config);
  if (initialAdminFile) console.log(`Created the initial admin client; its credentials are in ${initialAdminFile}`);
  const app = await buildApp({ config, database });
  await app.ready();
  // A one-off admin client for the seed, revoked at the end so its secret is never needed again.
  const clientId = `seed-${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  await ensureBootstrapAdmin(app.db, clientId, secret);
  try {
    const tok = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } });
    const api = caller(app, tok.json().access_token);
    await seedDemo(api, console.log);
    const [row] = await app.db.select({ id: clients.id }).from(clients).where(eq(clients.clientId, clientId));
    await api('DELETE', `/v1/clients/${row.id}`);
  } finally {
    await app.close();
    await database.close();
  }
}

main().catch((err) => {
  // A data directory held by a running server is refused (never a silent, lost load): say so
  // plainly, and how to load into that server instead.
  if (err instanceof DataDirLockedError) {
    console.error(`${err.message}\nTo load the demo region into the running service, use its HTTP API: ` +
      'sakip seed --demo --url http://HOST:PORT --client-id ID --client-secret SECRET (an admin client).');
  } else {
    console.error(err instanceof ConfigError ? err.message : err);
  }
  process.exit(1);
});
