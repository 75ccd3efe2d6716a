import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER } from './migrate.js';

/**
 * A fresh PGlite data directory costs seconds to create (initdb runs in WebAssembly). The build
 * (`npm run build`, run by `npm ci` through `prepare`) therefore writes one migrated, empty data
 * directory as a tarball; a first start unpacks it instead of running initdb, then migrates the rest
 * as usual. No key and no client are in it: those are made at start, per installation.
 * The same path from src/db (tsx) and dist/db (compiled).
 */
export const PGLITE_TEMPLATE = fileURLToPath(new URL('../../dist/pglite-template.tar.gz', import.meta.url));

/** Opens the PGlite data directory, from the template when the directory holds no database yet. */
export async function openPglite(dataDir: string, template = PGLITE_TEMPLATE): Promise<PGlite> {
  if (!existsSync(join(dataDir, 'PG_VERSION')) && existsSync(template)) {
    try {
      return await PGlite.create(dataDir, { loadDataDir: new Blob([readFileSync(template)]) });
    } catch {
      // A template from another PGlite version, or a damaged file: fall back to initdb.
    }
  }
  return PGlite.create(dataDir);
}

/** Writes the template: an in-memory database with every committed migration applied. */
export async function writePgliteTemplate(file = PGLITE_TEMPLATE): Promise<void> {
  const client = await PGlite.create();
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const dump = await client.dumpDataDir('gzip');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await client.close();
  }
}

// `node dist/db/pglite-template.js` (the build's last step) writes it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writePgliteTemplate();
}
