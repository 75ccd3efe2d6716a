import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { connectPg, connectPglite, type Database } from '../../src/db/client.js';

/** The PostgreSQL server tests run against; absent = embedded PGlite. */
export const SERVER_URL = process.env.DATABASE_URL || undefined;

/** Creates an empty database on the test server (or nothing on PGlite) and returns its URL. */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!SERVER_URL) throw new Error('DATABASE_URL is not set');
  const name = `sakip_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh, empty database for one test file: its own database on the server, or in-memory PGlite. */
export async function freshDatabase(): Promise<{ database: Database; url?: string; dispose(): Promise<void> }> {
  if (!SERVER_URL) {
    const database = await connectPglite();
    return { database, dispose: () => database.close() };
  }
  const created = await createServerDatabase();
  const database = connectPg(created.url, 5);
  return {
    database,
    url: created.url,
    async dispose() {
      await database.close();
      await created.drop();
    },
  };
}
