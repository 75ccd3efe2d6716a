import { and, asc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agencies, indicators, measurementRevisions, measurements, plans } from '../../db/schema/index.js';

export type MeasurementRow = typeof measurements.$inferSelect;
export type RevisionRow = typeof measurementRevisions.$inferSelect;
export type IndicatorContext = {
  id: string; agencyId: string; agencyPath: string[]; startYear: number; endYear: number;
};
export type ListFilter = {
  period?: string; status?: MeasurementRow['status']; updatedSince?: string;
  after?: [string, string]; limit: number;
};

export const measurementRepository = {
  /** The indicator with what a measurement needs: its agency's scope path and its plan's years. */
  async indicatorContext(tx: DbOrTx, indicatorId: string): Promise<IndicatorContext | null> {
    const [row] = await tx.select({
      id: indicators.id, agencyId: indicators.agencyId, agencyPath: agencies.path,
      startYear: plans.startYear, endYear: plans.endYear,
    }).from(indicators)
      .innerJoin(agencies, eq(agencies.id, indicators.agencyId))
      .innerJoin(plans, eq(plans.id, indicators.planId))
      .where(eq(indicators.id, indicatorId));
    return row ?? null;
  },

  async find(tx: DbOrTx, indicatorId: string, period: string, forUpdate = false): Promise<MeasurementRow | null> {
    const q = tx.select().from(measurements)
      .where(and(eq(measurements.indicatorId, indicatorId), eq(measurements.period, period)));
    const [row] = forUpdate ? await q.for('update') : await q;
    return row ?? null;
  },

  /** Inserts or replaces; a new row gets revision 1 (the caller computes the next revision
   * under the row lock taken by `find(..., true)`). ON CONFLICT keeps two first writers safe:
   * the later one waits and then finds the row (see service: it retries). */
  async insert(tx: DbOrTx, values: typeof measurements.$inferInsert): Promise<MeasurementRow> {
    const [row] = await tx.insert(measurements).values(values).returning();
    return row;
  },

  async update(tx: DbOrTx, indicatorId: string, period: string, values: Partial<typeof measurements.$inferInsert>): Promise<MeasurementRow> {
    const [row] = await tx.update(measurements).set({ ...values, updatedAt: sql`now()` })
      .where(and(eq(measurements.indicatorId, indicatorId), eq(measurements.period, period))).returning();
    return row;
  },

  async insertRevision(tx: DbOrTx, values: typeof measurementRevisions.$inferInsert): Promise<void> {
    await tx.insert(measurementRevisions).values(values);
  },

  async history(tx: DbOrTx, indicatorId: string, period: string): Promise<RevisionRow[]> {
    return tx.select().from(measurementRevisions)
      .where(and(eq(measurementRevisions.indicatorId, indicatorId), eq(measurementRevisions.period, period)))
      .orderBy(asc(measurementRevisions.revision));
  },

  /** Ordered by (indicatorId, period): a stable key, so the cursor survives concurrent writes. */
  async list(tx: DbOrTx, where: SQL, f: ListFilter): Promise<MeasurementRow[]> {
    const conds: (SQL | undefined)[] = [where];
    if (f.period) conds.push(eq(measurements.period, f.period));
    if (f.status) conds.push(eq(measurements.status, f.status));
    if (f.updatedSince) conds.push(gte(measurements.updatedAt, new Date(f.updatedSince)));
    if (f.after) conds.push(sql`(${measurements.indicatorId}, ${measurements.period}) > (${f.after[0]}::uuid, ${f.after[1]})`);
    return tx.select().from(measurements).where(and(...conds))
      .orderBy(asc(measurements.indicatorId), asc(measurements.period)).limit(f.limit + 1);
  },
};

/** Filter of an agency's measurements, optionally with its descendants' (agencies.path). */
export function agencyMeasurementsWhere(agencyId: string, includeDescendants: boolean): SQL {
  return includeDescendants
    ? sql`${measurements.agencyId} IN (SELECT id FROM ${agencies} WHERE path @> ARRAY[${agencyId}::uuid])`
    : eq(measurements.agencyId, agencyId);
}

