import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { schedules } from '../../db/schema/index.js';

export type ScheduleRow = typeof schedules.$inferSelect;

export const scheduleRepository = (db: DbOrTx) => ({
  async find(year: number, tx: DbOrTx = db, lock = false): Promise<ScheduleRow | null> {
    const q = tx.select().from(schedules).where(eq(schedules.year, year));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  },

  async upsert(values: typeof schedules.$inferInsert, tx: DbOrTx): Promise<ScheduleRow> {
    const [row] = await tx.insert(schedules).values(values).onConflictDoUpdate({
      target: schedules.year,
      set: {
        q1Due: sql`excluded.q1_due`, q2Due: sql`excluded.q2_due`, q3Due: sql`excluded.q3_due`, q4Due: sql`excluded.q4_due`,
        reportDueRegional: sql`excluded.report_due_regional`, reportDueCentral: sql`excluded.report_due_central`,
        updatedAt: sql`excluded.updated_at`, updatedBy: sql`excluded.updated_by`,
      },
    }).returning();
    return row;
  },
});
