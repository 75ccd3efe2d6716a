import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral, queryRows, type Database } from '../../src/db/client.js';
import { freshDatabase } from '../helpers/db.js';

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let database: Database;
beforeAll(async () => { fresh = await freshDatabase(); database = fresh.database; });
afterAll(async () => { await fresh.dispose(); });

const roundTrip = async (values: (string | null)[]) => {
  const rows = await queryRows<{ v: string | null }>(database.db, sql`SELECT unnest(${arrayLiteral(values)}::text[]) AS v`);
  return rows.map((r) => r.v);
};

describe('arrayLiteral (bulk parameters) read back by PostgreSQL', () => {
  it('keeps tricky text exactly', async () => {
    const tricky = ['', 'NULL', 'null', 'a,b', '{x}', 'say "hi"', 'back\\slash', 'baris\nbaru', ' spasi ', 'Capaian sesuai target, data dari Dinas', null];
    expect(await roundTrip(tricky)).toEqual(tricky);
  });

  it('keeps any text exactly (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.option(fc.string({ unit: 'grapheme' }), { nil: null }), { maxLength: 20 }), async (values) => {
      const clean = values.map((v) => (v === null ? null : v.split(String.fromCharCode(0)).join(''))); // text cannot hold NUL
      expect(await roundTrip(clean)).toEqual(clean);
    }), { numRuns: 100 });
  });

  it('writes canonical ids, periods and decimals bare', async () => {
    const rows = await queryRows<{ p: string; v: string }>(database.db, sql`
      SELECT unnest(${arrayLiteral(['2025Q1', '2025'], true)}::text[]) AS p, unnest(${arrayLiteral(['-12.5', '0.0001'], true)}::numeric[])::text AS v`);
    expect(rows).toEqual([{ p: '2025Q1', v: '-12.5' }, { p: '2025', v: '0.0001' }]);
  });
});
