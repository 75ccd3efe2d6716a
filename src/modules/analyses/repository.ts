import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { analyses } from '../../db/schema/index.js';

export type AnalysisRow = typeof analyses.$inferSelect;
type Texts = Pick<AnalysisRow, 'causes' | 'supportingFactors' | 'inhibitingFactors' | 'solutions'>;

export const analysisRepository = {
  async find(tx: DbOrTx, indicatorId: string, year: number, forUpdate = false): Promise<AnalysisRow | null> {
    const q = tx.select().from(analyses).where(and(eq(analyses.indicatorId, indicatorId), eq(analyses.year, year)));
    const [row] = forUpdate ? await q.for('update') : await q;
    return row ?? null;
  },

  async upsert(tx: DbOrTx, indicatorId: string, year: number, texts: Texts, by: string): Promise<AnalysisRow> {
    const set = { ...texts, updatedAt: new Date(), updatedBy: by };
    const [row] = await tx.insert(analyses).values({ indicatorId, year, ...set })
      .onConflictDoUpdate({ target: [analyses.indicatorId, analyses.year], set }).returning();
    return row;
  },
};
