import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import { formatDecimal, toDecimal } from '../../domain/decimal.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { badRequest, notFound } from '../../http/problem.js';
import { visibleElement } from '../plans/repository.js';
import { budgetRepository as repo, type BudgetRow } from './repository.js';

// Pagu (allocated) and realisasi anggaran (realized) of an element in a year.
export const budgetSchema = z.object({
  elementId: z.uuid(),
  year: z.number().int(),
  allocated: z.number(),
  realized: z.number().describe('May exceed allocated (overspending is reported, not refused)'),
  updatedAt: z.string(),
  updatedBy: z.string(),
}).meta({ id: 'Budget' });
export type BudgetDto = z.infer<typeof budgetSchema>;

const toDto = (r: BudgetRow): BudgetDto => ({
  elementId: r.elementId, year: r.year, allocated: Number(r.allocated), realized: Number(r.realized),
  updatedAt: r.updatedAt.toISOString(), updatedBy: r.updatedBy,
});

export function budgetService(db: Db) {
  const gate = writeGate(db);
  return {
    /** Sets the year's budget; `created` tells 201 from 200. An unchanged budget writes nothing. */
    async put(actor: Actor, ifMatch: string | undefined, elementId: string, year: number, input: { allocated: number; realized: number }) {
      return gate.run(actor, async (w) => {
        const { element, startYear, endYear } = await visibleElement(w.tx, actor, elementId);
        if (year < startYear || year > endYear) {
          throw badRequest(`The year ${year} is outside the plan's years ${startYear}-${endYear}`, [{ path: 'year', message: 'outside the plan' }]);
        }
        await w.agency(element.agencyId, [year]);
        const existing = await repo.find(w.tx, elementId, year, true);
        assertIfMatch(ifMatch, existing ? toDto(existing) : null);
        const allocated = formatDecimal(input.allocated);
        const realized = formatDecimal(input.realized);
        if (existing && toDecimal(existing.allocated).eq(allocated) && toDecimal(existing.realized).eq(realized)) return { dto: toDto(existing), created: false };
        const dto = toDto(await repo.upsert(w.tx, elementId, year, { allocated, realized }, actor.clientId));
        await w.audit({
          action: 'budget.set', entityType: 'budget', entityId: elementId, agencyId: element.agencyId,
          before: existing ? toDto(existing) : null, after: dto,
        });
        return { dto, created: !existing };
      }, { retry: true });
    },

    async list(actor: Actor, elementId: string, q: { limit: number; cursor?: string }) {
      await visibleElement(db, actor, elementId);
      const after = decodeCursor(q.cursor, (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31);
      return pageOf(await repo.list(db, elementId, after, q.limit), q.limit, (b) => b.year, toDto);
    },

    async get(actor: Actor, elementId: string, year: number): Promise<BudgetDto> {
      await visibleElement(db, actor, elementId);
      const row = await repo.find(db, elementId, year);
      if (!row) throw notFound(`Budget of ${year}`);
      return toDto(row);
    },
  };
}
