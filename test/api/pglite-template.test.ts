import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite, writePgliteTemplate } from '../../src/db/pglite-template.js';

// The build writes a migrated, empty PGlite data directory; a first start unpacks it.
describe('PGlite first-start template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sakip-template-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a data directory opened from the template already has the schema', async () => {
    const template = join(dir, 'template.tar.gz');
    await writePgliteTemplate(template);
    const client = await openPglite(join(dir, 'data'), template);
    try {
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(rows[0].n).toBeGreaterThan(0);
      const tables = await client.query<{ t: string }>("select to_regclass('public.clients')::text as t");
      expect(tables.rows[0].t).toBe('clients');
    } finally {
      await client.close();
    }
  });

  it('a damaged template falls back to an empty database', async () => {
    const template = join(dir, 'damaged.tar.gz');
    writeFileSync(template, 'not a tarball');
    const client = await openPglite(join(dir, 'data2'), template);
    try {
      const { rows } = await client.query<{ t: string | null }>("select to_regclass('public.clients')::text as t");
      expect(rows[0].t).toBeNull();
    } finally {
      await client.close();
    }
  });
});
