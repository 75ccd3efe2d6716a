import type { FastifyRequest } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { targets } from '../../db/schema/index.js';
import { formatDecimal, toDecimal } from '../../domain/decimal.js';
import { comparePeriods, isValidPeriod, periodWithinYears } from '../../domain/period.js';
import type { Actor } from '../../http/access.js';
import { checkIfMatch } from '../../http/etag.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { badRequest, notFound } from '../../http/problem.js';
import { writeAudit } from '../audit/repository.js';
import { visibleIndicator } from '../indicators/repository.js';
import { assertPeriodOpen } from '../locks/repository.js';
import type { TargetDto } from './schemas.js';

export type TargetRow = typeof targets.$inferSelect;

export const toTargetDto = (r: TargetRow): TargetDto => ({
  indicatorId: r.indicatorId,
  period: r.period,
  value: Number(r.value),
  updatedAt: r.updatedAt.toISOString(),
  updatedBy: r.updatedBy,
});

export const outsidePlan = (period: string, startYear: number, endYear: number) =>
  `period ${period} is outside the plan's years ${startYear}-${endYear}`;

export function targetService(db: Db) {
  return {
    /** Ordered by period (a year before its quarters); the cursor is the last period seen. An
     * indicator has a few dozen targets at most (its plan's years), so they are paged in memory. */
    async list(actor: Actor, indicatorId: string, q: { limit: number; cursor?: string }) {
      await visibleIndicator(db, actor, indicatorId);
      const after = decodeCursor(q.cursor, (v): v is string => isValidPeriod(v));
      const rows = await db.select().from(targets).where(eq(targets.indicatorId, indicatorId)).orderBy(asc(targets.period));
      const sorted = rows.sort((a, b) => comparePeriods(a.period, b.period))
        .filter((r) => after === undefined || comparePeriods(r.period, after) > 0);
      return pageOf(sorted.slice(0, q.limit + 1), q.limit, (r) => r.period, toTargetDto);
    },

    async get(actor: Actor, indicatorId: string, period: string): Promise<TargetDto> {
      await visibleIndicator(db, actor, indicatorId);
      const [row] = await db.select().from(targets).where(and(eq(targets.indicatorId, indicatorId), eq(targets.period, period)));
      if (!row) throw notFound(`Target of ${period}`);
      return toTargetDto(row);
    },

    /** Sets the target of a period; `created` tells 201 from 200. An unchanged value writes nothing. */
    async put(actor: Actor, req: FastifyRequest, indicatorId: string, period: string, value: number): Promise<{ dto: TargetDto; created: boolean }> {
      return db.transaction(async (tx) => {
        const { indicator, startYear, endYear } = await visibleIndicator(tx, actor, indicatorId);
        if (!periodWithinYears(period, startYear, endYear)) {
          throw badRequest(`The ${outsidePlan(period, startYear, endYear)}`, [{ path: 'period', message: 'outside the plan' }]);
        }
        await assertPeriodOpen(tx, indicator.agencyId, period);
        const where = and(eq(targets.indicatorId, indicatorId), eq(targets.period, period));
        const [existing] = await tx.select().from(targets).where(where).for('update');
        checkIfMatch(req, existing ? toTargetDto(existing) : null);
        const v = formatDecimal(value);
        if (existing && toDecimal(existing.value).eq(toDecimal(v))) return { dto: toTargetDto(existing), created: false };
        const [row] = await tx.insert(targets).values({ indicatorId, period, value: v, updatedBy: actor.clientId })
          .onConflictDoUpdate({ target: [targets.indicatorId, targets.period], set: { value: v, updatedAt: new Date(), updatedBy: actor.clientId } })
          .returning();
        await writeAudit(tx, actor, {
          action: 'target.set', entityType: 'target', entityId: indicatorId, agencyId: indicator.agencyId,
          before: existing ? { period, value: Number(existing.value) } : null, after: { period, value: Number(row.value) },
        });
        return { dto: toTargetDto(row), created: !existing };
      });
    },
  };
}
