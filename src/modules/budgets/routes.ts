import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { budgets } from '../../db/schema/index.js';
import { formatDecimal, toDecimal } from '../../domain/decimal.js';
import { ROLES_WRITE_PLANNING, type Actor } from '../../http/access.js';
import { checkIfMatch, withEtag } from '../../http/etag.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../../http/pagination.js';
import { badRequest, notFound } from '../../http/problem.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../audit/repository.js';
import { assertYearOpen } from '../locks/repository.js';
import { visibleElement } from '../plans/repository.js';
import { elementParams, nonNegativeDecimal, yearParam } from '../plans/schemas.js';

// Pagu (allocated) and realisasi anggaran (realized) of an element in a year.
export const budgetSchema = z.object({
  elementId: z.uuid(),
  year: z.number().int(),
  allocated: z.number(),
  realized: z.number().describe('May exceed allocated (overspending is reported, not refused)'),
  updatedAt: z.string(),
  updatedBy: z.string(),
}).meta({ id: 'Budget' });

type BudgetRow = typeof budgets.$inferSelect;
const toDto = (r: BudgetRow) => ({
  elementId: r.elementId, year: r.year, allocated: Number(r.allocated), realized: Number(r.realized),
  updatedAt: r.updatedAt.toISOString(), updatedBy: r.updatedBy,
});

async function putBudget(db: Db, actor: Actor, req: FastifyRequest, elementId: string, year: number, input: { allocated: number; realized: number }) {
  return db.transaction(async (tx) => {
    const { element, startYear, endYear } = await visibleElement(tx, actor, elementId);
    if (year < startYear || year > endYear) {
      throw badRequest(`The year ${year} is outside the plan's years ${startYear}-${endYear}`, [{ path: 'year', message: 'outside the plan' }]);
    }
    await assertYearOpen(tx, element.agencyId, year);
    const [existing] = await tx.select().from(budgets).where(and(eq(budgets.elementId, elementId), eq(budgets.year, year))).for('update');
    checkIfMatch(req, existing ? toDto(existing) : null);
    const allocated = formatDecimal(input.allocated);
    const realized = formatDecimal(input.realized);
    if (existing && toDecimal(existing.allocated).eq(allocated) && toDecimal(existing.realized).eq(realized)) return { dto: toDto(existing), created: false };
    const [row] = await tx.insert(budgets).values({ elementId, year, allocated, realized, updatedBy: actor.clientId })
      .onConflictDoUpdate({ target: [budgets.elementId, budgets.year], set: { allocated, realized, updatedAt: new Date(), updatedBy: actor.clientId } })
      .returning();
    const dto = toDto(row);
    await writeAudit(tx, actor, {
      action: 'budget.set', entityType: 'budget', entityId: elementId, agencyId: element.agencyId,
      before: existing ? toDto(existing) : null, after: dto,
    });
    return { dto, created: !existing };
  });
}

export async function budgetRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['budgets'];

  r.put('/v1/elements/:elementId/budgets/:year', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      operationId: 'putBudget', description: 'Sets the budget ceiling (pagu) and its realisation for a program, activity or sub-activity and a year.',
      tags, summary: 'Set the budget (pagu) and its realisation of an element for a year; honours If-Match',
      params: elementParams.extend({ year: yearParam }),
      body: z.object({ allocated: nonNegativeDecimal, realized: nonNegativeDecimal }).strict(),
      response: { 200: budgetSchema, 201: budgetSchema },
    },
  }, async (req, reply) => {
    const { dto, created } = await putBudget(app.db, req.actor, req, req.params.elementId, req.params.year, req.body);
    reply.code(created ? 201 : 200);
    return withEtag(reply, dto);
  });

  r.get('/v1/elements/:elementId/budgets', {
    schema: {
      operationId: 'listBudgets', description: 'The budgets of an element ordered by year.',
      tags, summary: 'The budgets of an element, by year', params: elementParams, querystring: pageQuery, response: { 200: pageSchema(budgetSchema) },
    },
  }, async (req) => {
    await visibleElement(app.db, req.actor, req.params.elementId);
    const after = decodeCursor(req.query.cursor, (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31);
    const rows = await app.db.select().from(budgets)
      .where(and(eq(budgets.elementId, req.params.elementId), after === undefined ? undefined : gt(budgets.year, after)))
      .orderBy(asc(budgets.year)).limit(req.query.limit + 1);
    return pageOf(rows, req.query.limit, (b) => b.year, toDto);
  });

  r.get('/v1/elements/:elementId/budgets/:year', {
    schema: {
      operationId: 'getBudget', description: 'The budget of an element for one year, with its ETag; 404 when none is set.',
      tags, summary: 'The budget of one year, with its ETag (404 when none is set)',
      params: elementParams.extend({ year: yearParam }), response: { 200: budgetSchema },
    },
  }, async (req, reply) => {
    await visibleElement(app.db, req.actor, req.params.elementId);
    const [row] = await app.db.select().from(budgets).where(and(eq(budgets.elementId, req.params.elementId), eq(budgets.year, req.params.year)));
    if (!row) throw notFound(`Budget of ${req.params.year}`);
    return withEtag(reply, toDto(row));
  });
}
