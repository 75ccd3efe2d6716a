import { fileURLToPath } from 'node:url';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database, Schema } from './client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Applies the committed SQL migrations. Call inside `withStartupLock` so processes never race. */
export async function migrate(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  // `db` is typed as the drivers' common PgDatabase; each migrator wants its driver's own database
  // type (which adds `$client`), and `driver` says which one this handle is.
  if (database.driver === 'pg') await migratePg(database.db as unknown as NodePgDatabase<Schema>, config);
  else await migratePglite(database.db as unknown as PgliteDatabase<Schema>, config);
}
