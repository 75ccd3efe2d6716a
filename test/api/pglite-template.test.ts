import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { openPglite, templateFits, unpackTemplate, writePgliteTemplate } from '../../src/db/pglite-template.js';

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

  it('refuses a tarball with an entry outside the directory, and leaves nothing behind', () => {
    const entry = (name: string, body: string) => {
      const header = Buffer.alloc(512);
      header.write(name, 0);
      header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
      header.write('0', 156);
      header.write('ustar\0', 257);
      const data = Buffer.alloc(Math.ceil(body.length / 512) * 512);
      data.write(body);
      return Buffer.concat([header, data]);
    };
    const target = join(dir, 'data3');
    mkdirSync(target);
    const tarball = gzipSync(Buffer.concat([entry('/PG_VERSION', '17\n'), entry('/../escaped', 'x'), Buffer.alloc(1024)]));
    expect(unpackTemplate(tarball, target).ok).toBe(false);
    expect(readdirSync(target)).toEqual([]);
    expect(existsSync(join(dir, 'escaped'))).toBe(false);

    const good = gzipSync(Buffer.concat([entry('/PG_VERSION', '17\n'), entry('/base/1/112', 'page'), Buffer.alloc(1024)]));
    expect(unpackTemplate(good, target).ok).toBe(true);
    expect(readdirSync(target).sort()).toEqual(['PG_VERSION', 'base']);
  });

  it('is used only when it holds exactly the current migrations up to its newest', () => {
    const current = [{ tag: '0000_a', when: 1 }, { tag: '0001_b', when: 2 }, { tag: '0002_c', when: 3 }];
    expect(templateFits(current, current)).toBe(true);
    expect(templateFits(current.slice(0, 2), current)).toBe(true); // the start migrates 0002
    expect(templateFits([current[0], current[2]], current)).toBe(false); // 0001 would be skipped
    expect(templateFits([...current, { tag: '0003_d', when: 4 }], current)).toBe(false); // from a newer build
    expect(templateFits([{ tag: '0000_x', when: 1 }], current)).toBe(false);
    expect(templateFits([], current)).toBe(false);
  });
});
