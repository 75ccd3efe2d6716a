import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agencies, plans } from '../../db/schema/index.js';

export type AgencyRow = typeof agencies.$inferSelect;
export type AgencyFilter = {
  parentId?: string; kind?: string; code?: string; q?: string; afterId?: string; limit: number;
};

/** The hottest read of the API (every scope check): built once per database handle and run as a
 * named prepared statement, instead of building its SQL on every call. */
const byIdStatements = new WeakMap<DbOrTx, ReturnType<typeof prepareById>>();
const prepareById = (db: DbOrTx) =>
  db.select().from(agencies).where(eq(agencies.id, sql.placeholder('id'))).prepare('sakip_agency_by_id');

export const agencyRepository = (db: DbOrTx) => ({
  async findById(id: string, tx: DbOrTx = db): Promise<AgencyRow | null> {
    let statement = byIdStatements.get(tx);
    if (!statement) byIdStatements.set(tx, (statement = prepareById(tx)));
    const [row] = await statement.execute({ id });
    return row ?? null;
  },

  async findByIdForUpdate(id: string, tx: DbOrTx): Promise<AgencyRow | null> {
    const [row] = await tx.select().from(agencies).where(eq(agencies.id, id)).for('update');
    return row ?? null;
  },

  /** The national root, if there is one. */
  async findNational(tx: DbOrTx = db): Promise<AgencyRow | null> {
    const [row] = await tx.select().from(agencies).where(eq(agencies.kind, 'national')).limit(1);
    return row ?? null;
  },

  async hasPlanOfKind(agencyId: string, kind: string, tx: DbOrTx = db): Promise<boolean> {
    const [row] = await tx.select({ id: plans.id }).from(plans).where(and(eq(plans.agencyId, agencyId), eq(plans.kind, kind as 'rpjmn'))).limit(1);
    return Boolean(row);
  },

  async findByCode(code: string, tx: DbOrTx = db): Promise<AgencyRow | null> {
    const [row] = await tx.select().from(agencies).where(eq(agencies.code, code));
    return row ?? null;
  },

  async list(f: AgencyFilter, scope: SQL | undefined, tx: DbOrTx = db): Promise<AgencyRow[]> {
    const where: (SQL | undefined)[] = [scope];
    if (f.parentId) where.push(eq(agencies.parentId, f.parentId));
    if (f.kind) where.push(eq(agencies.kind, f.kind as AgencyRow['kind']));
    if (f.code) where.push(eq(agencies.code, f.code));
    if (f.q) {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(or(ilike(agencies.name, like), ilike(agencies.code, like)));
    }
    if (f.afterId) where.push(gt(agencies.id, f.afterId));
    return tx.select().from(agencies).where(and(...where)).orderBy(asc(agencies.id)).limit(f.limit + 1);
  },

  async insert(values: typeof agencies.$inferInsert, tx: DbOrTx = db): Promise<AgencyRow> {
    const [row] = await tx.insert(agencies).values(values).returning();
    return row;
  },

  async update(id: string, values: Partial<typeof agencies.$inferInsert>, tx: DbOrTx = db): Promise<AgencyRow> {
    const [row] = await tx.update(agencies).set({ ...values, updatedAt: new Date() }).where(eq(agencies.id, id)).returning();
    return row;
  },

  /** After a move, rewrites the path of every agency below `id`: old prefix -> new prefix. */
  async rewriteSubtreePaths(id: string, oldPath: string[], newPath: string[], tx: DbOrTx): Promise<void> {
    await tx.execute(sql`
      UPDATE ${agencies}
      SET path = ${sql.param(newPath)}::uuid[] || path[${oldPath.length + 1}:]
      WHERE path @> ARRAY[${id}::uuid] AND id <> ${id}::uuid`);
  },
});
