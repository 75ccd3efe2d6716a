import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { plans } from '../../db/schema/index.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { writeGate } from '../../db/gate.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { badRequest, conflict } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { listPlans, usedYears, visiblePlan, type PlanRow } from './repository.js';
import { MAX_PLAN_YEARS, type PlanDto } from './schemas.js';

export const toPlanDto = (r: PlanRow): PlanDto => ({
  id: r.id,
  agencyId: r.agencyId,
  kind: r.kind,
  title: r.title,
  startYear: r.startYear,
  endYear: r.endYear,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

type CreatePlan = { kind: PlanRow['kind']; title: string; startYear: number; endYear: number };

export function planService(db: Db) {
  const gate = writeGate(db);
  const agencies = agencyService(db);

  return {
    async create(actor: Actor, agencyId: string, input: CreatePlan): Promise<PlanDto> {
      return gate.run(actor, async ({ tx, audit }) => {
        const agency = await agencies.getVisible(actor, agencyId, tx);
        if (input.kind === 'rpjmn' && agency.kind !== 'national') {
          throw badRequest('An RPJMN is the plan of the national agency (kind national) only', [{ path: 'kind', message: 'rpjmn only for a national agency' }]);
        }
        const [row] = await tx.insert(plans).values({ agencyId, ...input }).returning();
        const dto = toPlanDto(row);
        await audit({ action: 'plan.create', entityType: 'plan', entityId: row.id, agencyId, after: dto });
        return dto;
      });
    },

    async list(actor: Actor, agencyId: string, q: { kind?: PlanRow['kind']; cursor?: string; limit: number }) {
      await agencies.getVisible(actor, agencyId);
      const rows = await listPlans(db, agencyId, { ...q, afterId: decodeIdCursor(q.cursor) });
      return pageOf(rows, q.limit, (r) => r.id, toPlanDto);
    },

    async get(actor: Actor, id: string): Promise<PlanDto> {
      return toPlanDto(await visiblePlan(db, actor, id));
    },

    async update(actor: Actor, ifMatch: string | undefined, id: string, patch: Partial<Omit<CreatePlan, 'kind'>>): Promise<PlanDto> {
      return gate.run(actor, async ({ tx, audit }) => {
        const current = await visiblePlan(tx, actor, id, true);
        const before = toPlanDto(current);
        assertIfMatch(ifMatch, before);
        const startYear = patch.startYear ?? current.startYear;
        const endYear = patch.endYear ?? current.endYear;
        if (startYear > endYear) throw badRequest('endYear must not be before startYear', [{ path: 'endYear', message: 'before startYear' }]);
        if (endYear - startYear + 1 > MAX_PLAN_YEARS) throw badRequest(`A plan covers at most ${MAX_PLAN_YEARS} years`, [{ path: 'endYear', message: 'too long' }]);
        if (startYear > current.startYear || endYear < current.endYear) {
          const outside = (await usedYears(tx, id)).filter((y) => y < startYear || y > endYear).sort();
          if (outside.length) {
            throw conflict(`The plan's targets, measurements or budgets use ${outside.join(', ')}, outside ${startYear}-${endYear}; remove them before shrinking the plan`);
          }
        }
        const [row] = await tx.update(plans).set({ ...patch, updatedAt: new Date() }).where(eq(plans.id, id)).returning();
        const after = toPlanDto(row);
        await audit({ action: 'plan.update', entityType: 'plan', entityId: id, agencyId: row.agencyId, before, after });
        return after;
      });
    },
  };
}
