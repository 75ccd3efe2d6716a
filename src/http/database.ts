import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { connectPg, connectPglite, type Database, type Db } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ensureSigningKey, loadKeyRing, type KeyRing } from '../modules/auth/keys.js';
import { ensureBootstrapAdmin, ensureInitialAdmin } from '../modules/auth/bootstrap.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    db: Db;
    /** Where region-wide pulls and lists read: the replica of DATABASE_READ_URL, else `db`. Never
     * for writes or for reads that must see the caller's own writes. */
    dbRead: Db;
    keys: KeyRing;
  }
}

export function connect(config: Config): Promise<Database> | Database {
  return config.DATABASE_URL ? connectPg(config.DATABASE_URL, config.DATABASE_POOL_MAX) : connectPglite(config.SAKIP_DATA_DIR);
}

/** Brings the database to the current schema and makes sure the signing key and an admin exist
 * (the bootstrap admin of the config, or else a first start's initial admin), under one
 * cluster-wide lock so several processes can start together. Answers the initial admin's
 * credentials file when this start wrote it. */
export async function prepareDatabase(database: Database, config: Config): Promise<{ initialAdminFile: string | null }> {
  return database.withStartupLock(async () => {
    await migrate(database);
    await ensureSigningKey(database.db);
    if (config.SAKIP_BOOTSTRAP_CLIENT_ID && config.SAKIP_BOOTSTRAP_CLIENT_SECRET) {
      await ensureBootstrapAdmin(database.db, config.SAKIP_BOOTSTRAP_CLIENT_ID, config.SAKIP_BOOTSTRAP_CLIENT_SECRET);
      return { initialAdminFile: null };
    }
    return { initialAdminFile: await ensureInitialAdmin(database.db, config.SAKIP_DATA_DIR) };
  });
}

export const databasePlugin = fp(async (app: FastifyInstance, opts: { config: Config; database?: Database }) => {
  const owned = !opts.database;
  const database = opts.database ?? (await connect(opts.config));
  let prepared;
  try {
    prepared = await prepareDatabase(database, opts.config);
  } catch (err) {
    if (owned) await database.close();
    throw err;
  }
  if (prepared.initialAdminFile) {
    // The path only: the secret never reaches a log.
    app.log.warn({ file: prepared.initialAdminFile },
      `First start without an admin: created one; its client id and secret are in ${prepared.initialAdminFile} (mode 0600). Keep them safe, then delete the file.`);
  }
  app.decorate('config', opts.config);
  app.decorate('database', database);
  app.decorate('db', database.db);
  const replica = opts.config.DATABASE_READ_URL ? connectPg(opts.config.DATABASE_READ_URL, opts.config.DATABASE_POOL_MAX) : null;
  app.decorate('dbRead', replica?.db ?? database.db);
  if (replica) app.addHook('onClose', async () => replica.close());
  app.decorate('keys', await loadKeyRing(database.db));
  if (owned) app.addHook('onClose', async () => database.close());
}, { name: 'db' });
