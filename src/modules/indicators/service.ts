import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import { onUniqueViolation } from '../../db/errors.js';
import { indicators } from '../../db/schema/index.js';
import { formatDecimal } from '../../domain/decimal.js';
import { ROLES_WRITE_PLANNING, type Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { writeGate } from '../../db/gate.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { conflict } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { lockedPairs } from '../locks/repository.js';
import { visibleElement } from '../plans/repository.js';
import { listIndicators, visibleIndicator, type IndicatorFilter, type IndicatorRow } from './repository.js';
import type { CreateIndicator, IndicatorDto } from './schemas.js';

export const toIndicatorDto = (r: IndicatorRow): IndicatorDto => ({
  id: r.id,
  elementId: r.elementId,
  planId: r.planId,
  agencyId: r.agencyId,
  code: r.code,
  name: r.name,
  type: r.type,
  unit: r.unit,
  polarity: r.polarity,
  aggregation: r.aggregation,
  isKey: r.isKey,
  baseline: r.baselineYear !== null && r.baselineValue !== null ? { year: r.baselineYear, value: Number(r.baselineValue) } : null,
  definition: r.definition,
  dataSource: r.dataSource,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const duplicateCode = (code: string) => conflict(`An indicator with code ${code} already exists in this agency`);

function columnsOf(input: Partial<CreateIndicator>): Partial<typeof indicators.$inferInsert> {
  const v: Partial<typeof indicators.$inferInsert> = {};
  for (const k of ['code', 'name', 'type', 'unit', 'polarity', 'aggregation', 'isKey'] as const) {
    if (input[k] !== undefined) (v as Record<string, unknown>)[k] = input[k];
  }
  if (input.baseline !== undefined) {
    v.baselineYear = input.baseline?.year ?? null;
    v.baselineValue = input.baseline ? formatDecimal(input.baseline.value) : null;
  }
  if (input.definition !== undefined) v.definition = input.definition;
  if (input.dataSource !== undefined) v.dataSource = input.dataSource;
  return v;
}

async function assertCodeFree(tx: DbOrTx, agencyId: string, code: string) {
  const [dup] = await tx.select({ id: indicators.id }).from(indicators).where(and(eq(indicators.agencyId, agencyId), eq(indicators.code, code)));
  if (dup) throw duplicateCode(code);
}

/** Changing how achievement is computed (polarity) or how quarters add up (aggregation) rewrites
 * already reported results: allowed only while none of the measured periods is locked. */
async function assertRuleChangeAllowed(tx: DbOrTx, actor: Actor, ind: IndicatorRow, changed: string[]) {
  const measured = await queryRows<{ period: string }>(tx, sql`SELECT period FROM measurements WHERE indicator_id = ${ind.id}::uuid`);
  if (!measured.length) return;
  const what = changed.join(' and ');
  if (!ROLES_WRITE_PLANNING.includes(actor.role)) {
    throw conflict(`Indicator ${ind.code} already has measurements; only an operator or admin may change its ${what}`);
  }
  const locked = await lockedPairs(tx, measured.map((m) => ({ agencyId: ind.agencyId, period: m.period })));
  if (locked.size) {
    const periods = [...locked].map((k) => k.split('|')[1]).sort();
    throw conflict(`Indicator ${ind.code} has measurements in locked periods (${periods.join(', ')}); changing its ${what} would change results already reported. An admin must unlock those years first.`);
  }
}

export function indicatorService(db: Db) {
  const gate = writeGate(db);
  const agencies = agencyService(db);
  const withDuplicate = <T>(code: string | undefined, fn: () => Promise<T>) => onUniqueViolation(fn, () => duplicateCode(code ?? ''));

  return {
    async create(actor: Actor, elementId: string, input: CreateIndicator): Promise<IndicatorDto> {
      return withDuplicate(input.code, () => gate.run(actor, async ({ tx, audit }) => {
        const { element } = await visibleElement(tx, actor, elementId);
        await assertCodeFree(tx, element.agencyId, input.code);
        const [row] = await tx.insert(indicators).values({
          ...columnsOf(input), code: input.code, name: input.name, type: input.type, unit: input.unit,
          polarity: input.polarity, aggregation: input.aggregation,
          elementId, planId: element.planId, agencyId: element.agencyId,
        }).returning();
        const dto = toIndicatorDto(row);
        await audit({ action: 'indicator.create', entityType: 'indicator', entityId: row.id, agencyId: row.agencyId, after: dto });
        return dto;
      }));
    },

    async list(actor: Actor, agencyId: string, q: Omit<IndicatorFilter, 'afterId'> & { cursor?: string }) {
      await agencies.getVisible(actor, agencyId);
      const rows = await listIndicators(db, agencyId, { ...q, afterId: decodeIdCursor(q.cursor) });
      return pageOf(rows, q.limit, (r) => r.id, toIndicatorDto);
    },

    async get(actor: Actor, id: string): Promise<IndicatorDto> {
      return toIndicatorDto((await visibleIndicator(db, actor, id)).indicator);
    },

    async update(actor: Actor, ifMatch: string | undefined, id: string, patch: Partial<CreateIndicator>): Promise<IndicatorDto> {
      return withDuplicate(patch.code, () => gate.run(actor, async ({ tx, audit }) => {
        const { indicator: cur } = await visibleIndicator(tx, actor, id, true);
        const before = toIndicatorDto(cur);
        assertIfMatch(ifMatch, before);
        if (patch.code !== undefined && patch.code !== cur.code) await assertCodeFree(tx, cur.agencyId, patch.code);
        const ruleChanges = (['polarity', 'aggregation'] as const).filter((k) => patch[k] !== undefined && patch[k] !== cur[k]);
        if (ruleChanges.length) await assertRuleChangeAllowed(tx, actor, cur, ruleChanges);
        const [row] = await tx.update(indicators).set({ ...columnsOf(patch), updatedAt: new Date() }).where(eq(indicators.id, id)).returning();
        const after = toIndicatorDto(row);
        await audit({
          action: ruleChanges.length ? 'indicator.update-rules' : 'indicator.update',
          entityType: 'indicator', entityId: id, agencyId: row.agencyId, before, after,
        });
        return after;
      }));
    },
  };
}
