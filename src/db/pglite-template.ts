import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
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

type Migration = { tag: string; when: number };
const key = (m: Migration) => `${m.when}:${m.tag}`;
const journal = (): Migration[] => (JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')).entries as Migration[])
  .map(({ tag, when }) => ({ tag, when }));

/**
 * Whether the migrator brings a database holding `applied` to the current schema. drizzle applies
 * only migrations newer than the last one applied, so the template must hold exactly the current
 * migrations up to its newest one (a stale build from another branch must not be used).
 */
export function templateFits(applied: Migration[], current: Migration[] = journal()): boolean {
  if (applied.length === 0) return false;
  const newest = Math.max(...applied.map((m) => m.when));
  const expected = current.filter((m) => m.when <= newest).map(key).sort();
  const held = applied.map(key).sort();
  return expected.length === held.length && expected.every((k, i) => k === held[i]);
}

function usableTemplate(template: string): boolean {
  try {
    return existsSync(template) && templateFits(JSON.parse(readFileSync(`${template}.json`, 'utf8')).migrations);
  } catch {
    return false;
  }
}

/** Opens the PGlite data directory, from the template when the directory holds no database yet. */
export async function openPglite(dataDir: string, template = PGLITE_TEMPLATE): Promise<PGlite> {
  if (!existsSync(join(dataDir, 'PG_VERSION')) && usableTemplate(template)) {
    const tarball = readFileSync(template);
    // Unpacked natively it costs a fraction of PGlite's own loadDataDir (which writes every file
    // through its WebAssembly file system); that one is the fallback, initdb the last resort.
    const unpacked = unpackTemplate(tarball, dataDir);
    if (unpacked.ok) {
      try {
        return await PGlite.create(dataDir);
      } catch {
        unpacked.undo();
      }
    }
    try {
      return await PGlite.create(dataDir, { loadDataDir: new Blob([tarball]) });
    } catch {
      // A template from another PGlite version, or a damaged file.
    }
  }
  return PGlite.create(dataDir);
}

/**
 * Unpacks the gzipped tar that PGlite's dumpDataDir writes (plain ustar: directories and regular
 * files, names relative to the data directory) into `dir`. Anything unexpected undoes the work.
 */
export function unpackTemplate(tarball: Buffer, dir: string): { ok: boolean; undo(): void } {
  const root = resolve(dir);
  const made = new Set<string>();
  const dirs = new Set<string>([root]);
  const mkdir = (d: string) => {
    if (!dirs.has(d)) mkdirSync(d, { recursive: true });
    dirs.add(d);
  };
  const undo = () => {
    for (const top of made) rmSync(join(root, top), { recursive: true, force: true });
  };
  try {
    const tar = gunzipSync(tarball);
    let offset = 0;
    while (offset + 512 <= tar.length) {
      const header = tar.subarray(offset, offset + 512);
      if (header.every((b) => b === 0)) break;
      const text = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0[\s\S]*$/, '');
      const prefix = text(345, 155);
      const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
      const size = Number.parseInt(text(124, 12).trim() || '0', 8);
      const type = String.fromCharCode(header[156]);
      const target = resolve(root, `.${name.startsWith('/') ? '' : '/'}${name}`);
      const rel = relative(root, target);
      if (!Number.isFinite(size) || rel.startsWith('..') || !['0', '\0', '5'].includes(type)) throw new Error(`unexpected tar entry ${name}`);
      if (rel) {
        const top = rel.split(/[\\/]/)[0];
        if (!made.has(top) && existsSync(join(root, top))) throw new Error(`${top} exists already`);
        made.add(top);
        if (type === '5') mkdir(target);
        else {
          mkdir(dirname(target));
          writeFileSync(target, tar.subarray(offset + 512, offset + 512 + size));
        }
      }
      offset += 512 + Math.ceil(size / 512) * 512;
    }
    if (!existsSync(join(root, 'PG_VERSION'))) throw new Error('no PG_VERSION in the template');
    return { ok: true, undo };
  } catch {
    undo();
    return { ok: false, undo };
  }
}

/** Writes the template, an in-memory database with every committed migration applied, and beside
 * it (`<file>.json`) the list of those migrations. */
export async function writePgliteTemplate(file = PGLITE_TEMPLATE): Promise<void> {
  const client = await PGlite.create();
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const dump = await client.dumpDataDir('gzip');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    writeFileSync(`${file}.json`, `${JSON.stringify({ migrations: journal() }, null, 2)}\n`);
  } finally {
    await client.close();
  }
}

// `node dist/db/pglite-template.js` (the build's last step) writes it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writePgliteTemplate();
}
