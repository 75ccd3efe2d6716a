import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agencies, evaluationAnswers, evaluationSelfAnswers, evaluations } from '../../db/schema/index.js';

export type EvaluationRow = typeof evaluations.$inferSelect;
export type AnswerRow = typeof evaluationAnswers.$inferSelect;
export type SelfAnswerRow = typeof evaluationSelfAnswers.$inferSelect;
export type Evidence = Array<{ title: string; url: string }>;

export const evaluationRepository = (db: DbOrTx) => ({
  /** The evaluation and its agency's path (for the scope check); `lock` serialises writers. */
  async findById(id: string, tx: DbOrTx = db, lock = false): Promise<{ row: EvaluationRow; agencyPath: string[] } | null> {
    const q = tx.select({ row: evaluations, agencyPath: agencies.path }).from(evaluations)
      .innerJoin(agencies, eq(agencies.id, evaluations.agencyId)).where(eq(evaluations.id, id));
    const [hit] = lock ? await q.for('update', { of: evaluations }) : await q;
    return hit ?? null;
  },

  async findByKey(agencyId: string, year: number, frameworkId: string, tx: DbOrTx = db): Promise<EvaluationRow | null> {
    const [row] = await tx.select().from(evaluations).where(and(
      eq(evaluations.agencyId, agencyId), eq(evaluations.year, year), eq(evaluations.frameworkId, frameworkId)));
    return row ?? null;
  },

  async listByAgency(agencyId: string, f: { year?: number; afterId?: string; limit: number }, tx: DbOrTx = db): Promise<EvaluationRow[]> {
    return tx.select().from(evaluations).where(and(
      eq(evaluations.agencyId, agencyId),
      f.year !== undefined ? eq(evaluations.year, f.year) : undefined,
      f.afterId ? gt(evaluations.id, f.afterId) : undefined,
    )).orderBy(asc(evaluations.id)).limit(f.limit + 1);
  },

  async insert(values: typeof evaluations.$inferInsert, tx: DbOrTx = db): Promise<EvaluationRow> {
    const [row] = await tx.insert(evaluations).values(values).returning();
    return row;
  },

  async update(id: string, values: Partial<typeof evaluations.$inferInsert>, tx: DbOrTx = db): Promise<EvaluationRow> {
    const [row] = await tx.update(evaluations).set({ ...values, updatedAt: new Date() }).where(eq(evaluations.id, id)).returning();
    return row;
  },

  async answersOf(evaluationIds: string[], tx: DbOrTx = db): Promise<AnswerRow[]> {
    if (!evaluationIds.length) return [];
    return tx.select().from(evaluationAnswers).where(inArray(evaluationAnswers.evaluationId, evaluationIds));
  },

  async upsertAnswers(evaluationId: string, answers: Array<{ criterionId: string; answer: string; note: string | null }>, by: string, tx: DbOrTx): Promise<void> {
    await tx.insert(evaluationAnswers)
      .values(answers.map((a) => ({ evaluationId, ...a, updatedBy: by, updatedAt: new Date() })))
      .onConflictDoUpdate({
        target: [evaluationAnswers.evaluationId, evaluationAnswers.criterionId],
        set: {
          answer: sql`excluded.answer`,
          note: sql`excluded.note`,
          updatedBy: sql`excluded.updated_by`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  },

  async selfAnswersOf(evaluationIds: string[], tx: DbOrTx = db): Promise<SelfAnswerRow[]> {
    if (!evaluationIds.length) return [];
    return tx.select().from(evaluationSelfAnswers).where(inArray(evaluationSelfAnswers.evaluationId, evaluationIds));
  },

  async upsertSelfAnswers(
    evaluationId: string, answers: Array<{ criterionId: string; answer: string; note: string | null; evidence: Evidence }>, by: string, tx: DbOrTx,
  ): Promise<void> {
    await tx.insert(evaluationSelfAnswers)
      .values(answers.map((a) => ({ evaluationId, ...a, updatedBy: by, updatedAt: new Date() })))
      .onConflictDoUpdate({
        target: [evaluationSelfAnswers.evaluationId, evaluationSelfAnswers.criterionId],
        set: {
          answer: sql`excluded.answer`,
          note: sql`excluded.note`,
          evidence: sql`excluded.evidence`,
          updatedBy: sql`excluded.updated_by`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  },

  /** Every evaluation of an agency, oldest year first (grade history). */
  async historyOf(agencyId: string, tx: DbOrTx = db): Promise<EvaluationRow[]> {
    return tx.select().from(evaluations).where(eq(evaluations.agencyId, agencyId)).orderBy(asc(evaluations.year), asc(evaluations.id));
  },

  /**
   * The final evaluations of a year for the agencies matching `agencyFilter` (scope and region), one
   * per agency (the latest finalized when an agency has several frameworks), with the agency's code
   * and name. One query for any number of agencies.
   */
  async finalOfYear(year: number, agencyFilter: SQL | undefined, tx: DbOrTx = db): Promise<Array<{ row: EvaluationRow; code: string; name: string }>> {
    return tx.selectDistinctOn([evaluations.agencyId], { row: evaluations, code: agencies.code, name: agencies.name })
      .from(evaluations).innerJoin(agencies, eq(agencies.id, evaluations.agencyId))
      .where(and(eq(evaluations.year, year), eq(evaluations.status, 'final'), agencyFilter))
      .orderBy(evaluations.agencyId, sql`${evaluations.finalizedAt} DESC NULLS LAST`, sql`${evaluations.id} DESC`);
  },
});
