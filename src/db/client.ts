import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { openPglite } from './pglite-template.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** One database type for both drivers: node-postgres against a server, or embedded PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Repositories take `tx?` and run on `tx ?? db`. */
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  driver: 'pg' | 'pglite';
  /** A cheap round-trip used by /readyz. */
  ping(timeoutMs?: number): Promise<void>;
  /** Runs `fn` while holding a cluster-wide lock (pg advisory lock; PGlite is single-process). */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

const drivers = new WeakMap<Db, Database['driver']>();
/** Which driver a db handle runs on (registered when it is connected). */
export const driverOf = (db: Db): Database['driver'] => drivers.get(db) ?? 'pg';

// Arbitrary but fixed: every sakip process serialises migrations and key creation on it.
const STARTUP_LOCK_KEY = 728_104_551;

export function connectPg(url: string, poolMax = 10): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'sakip',
    keepAlive: true,
  });
  // An idle client losing its server must not crash the process; /readyz reports it.
  pool.on('error', () => {});
  guardPoolClients(pool);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  drivers.set(db, 'pg');
  return {
    db,
    driver: 'pg',
    async ping(timeoutMs = 2_000) {
      await withTimeout(pool.query('select 1'), timeoutMs);
    },
    async withStartupLock(fn) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * A pooled client whose connection breaks while it is checked out emits 'error', and an 'error'
 * without a listener ends the process (pg-pool listens only while a client is idle). Every client
 * gets a listener when it connects, which also hands the broken client back to the pool (that
 * discards it) at once: a caller may never release it (drizzle does not when its `begin` fails),
 * and a pool of leaked clients would stay unavailable after the database is back. Release is made
 * idempotent, so the caller's own release afterwards is harmless.
 */
function guardPoolClients(pool: pg.Pool) {
  pool.on('connect', (client: pg.PoolClient) => {
    let release: ((err?: Error | boolean) => void) | undefined;
    let checkedOut = false;
    Object.defineProperty(client, 'release', {
      configurable: true,
      // pg-pool assigns a fresh release function at every checkout.
      set(fn: (err?: Error | boolean) => void) { release = fn; checkedOut = true; },
      get() {
        return (err?: Error | boolean) => {
          if (!checkedOut) return;
          checkedOut = false;
          release?.(err);
        };
      },
    });
    client.on('error', (err) => {
      if (checkedOut) client.release(err);
    });
  });
}

/** `dataDir` undefined or 'memory://' gives an in-memory database (tests). */
export async function connectPglite(dataDir?: string): Promise<Database> {
  let unlock = () => {};
  const onDisk = dataDir !== undefined && !dataDir.startsWith('memory://');
  if (onDisk) {
    mkdirSync(dataDir, { recursive: true });
    // Before PGlite (or the template) touches the directory: a second process must not open it at all.
    unlock = lockDataDir(dataDir);
  }
  let client: PGlite;
  try {
    // On disk, a first start unpacks the build's template rather than running initdb (seconds).
    client = onDisk ? await openPglite(dataDir) : await PGlite.create(dataDir);
  } catch (err) {
    unlock();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  drivers.set(db, 'pglite');
  return {
    db,
    driver: 'pglite',
    async ping() {
      await client.query('select 1');
    },
    withStartupLock: (fn) => fn(),
    async close() {
      try {
        if (!client.closed) await client.close();
      } finally {
        unlock();
      }
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database timeout')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Runs raw SQL on either driver and answers its rows (both drivers answer `{ rows }`). */
export async function queryRows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A PostgreSQL array literal in one pass, to pass a large array as one parameter (`$1::uuid[]`).
 * node-postgres escapes array elements one by one, which is measurable for 50,000-row batches.
 * `plain` elements (uuids, periods, canonical decimals: no quotes, commas, braces, spaces or
 * backslashes) are written bare; otherwise each element is quoted and escaped. null is NULL.
 */
export function arrayLiteral(values: readonly (string | null)[], plain = false): string {
  if (plain) return `{${values.map((v) => v ?? 'NULL').join(',')}}`;
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}
