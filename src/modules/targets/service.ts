import type { Db } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import { formatDecimal, toDecimal } from '../../domain/decimal.js';
import { comparePeriods, isValidPeriod, periodWithinYears } from '../../domain/period.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { badRequest, notFound } from '../../http/problem.js';
import { visibleIndicator } from '../indicators/repository.js';
import { targetRepository, type TargetRow } from './repository.js';
import type { TargetDto, TargetValue } from './schemas.js';

export type { TargetRow };

const num = (s: string | null) => (s === null ? null : Number(s));

export const toTargetDto = (r: TargetRow): TargetDto => ({
  indicatorId: r.indicatorId,
  period: r.period,
  value: num(r.value),
  min: num(r.minValue),
  max: num(r.maxValue),
  updatedAt: r.updatedAt.toISOString(),
  updatedBy: r.updatedBy,
});

export const outsidePlan = (period: string, startYear: number, endYear: number) =>
  `period ${period} is outside the plan's years ${startYear}-${endYear}`;

/** The body `{value}` or `{min, max}` (already validated) as decimal strings. */
export function targetValueOf(b: { value?: number | string; min?: number | string; max?: number | string }): TargetValue {
  return b.value !== undefined
    ? { value: formatDecimal(b.value), min: null, max: null }
    : { value: null, min: formatDecimal(b.min!), max: formatDecimal(b.max!) };
}

const eqOrBothNull = (a: string | null, b: string | null) => (a === null || b === null ? a === b : toDecimal(a).eq(toDecimal(b)));
/** Whether a stored target already holds this value or range. */
export const sameTarget = (row: Pick<TargetRow, 'value' | 'minValue' | 'maxValue'>, t: TargetValue) =>
  eqOrBothNull(row.value, t.value) && eqOrBothNull(row.minValue, t.min) && eqOrBothNull(row.maxValue, t.max);

/** What the audit trail records of a target. */
export const auditedTarget = (period: string, t: { value: string | null; min: string | null; max: string | null }) =>
  ({ period, value: num(t.value), ...(t.min !== null ? { min: num(t.min), max: num(t.max) } : {}) });

export function targetService(db: Db) {
  const gate = writeGate(db);
  return {
    /** Ordered by period (a year before its quarters); the cursor is the last period seen. An
     * indicator has a few dozen targets at most (its plan's years), so they are paged in memory. */
    async list(actor: Actor, indicatorId: string, q: { limit: number; cursor?: string }) {
      await visibleIndicator(db, actor, indicatorId);
      const after = decodeCursor(q.cursor, (v): v is string => isValidPeriod(v));
      const rows = await targetRepository.listOf(db, indicatorId);
      const sorted = rows.sort((a, b) => comparePeriods(a.period, b.period))
        .filter((r) => after === undefined || comparePeriods(r.period, after) > 0);
      return pageOf(sorted.slice(0, q.limit + 1), q.limit, (r) => r.period, toTargetDto);
    },

    async get(actor: Actor, indicatorId: string, period: string): Promise<TargetDto> {
      await visibleIndicator(db, actor, indicatorId);
      const row = await targetRepository.find(db, indicatorId, period);
      if (!row) throw notFound(`Target of ${period}`);
      return toTargetDto(row);
    },

    /** Sets the target (a value or a range) of a period; `created` tells 201 from 200. An
     * unchanged target writes nothing. */
    async put(actor: Actor, ifMatch: string | undefined, indicatorId: string, period: string, target: TargetValue): Promise<{ dto: TargetDto; created: boolean }> {
      return gate.run(actor, async (w) => {
        const { indicator, startYear, endYear, agencyCode } = await visibleIndicator(w.tx, actor, indicatorId);
        if (!periodWithinYears(period, startYear, endYear)) {
          throw badRequest(`The ${outsidePlan(period, startYear, endYear)}`, [{ path: 'period', message: 'outside the plan' }]);
        }
        await w.assertOpen(indicator.agencyId, [period], agencyCode);
        const existing = await targetRepository.find(w.tx, indicatorId, period, true);
        assertIfMatch(ifMatch, existing ? toTargetDto(existing) : null);
        if (existing && sameTarget(existing, target)) return { dto: toTargetDto(existing), created: false };
        const row = await targetRepository.upsert(w.tx, indicatorId, period, target, actor.clientId);
        await w.audit({
          action: 'target.set', entityType: 'target', entityId: indicatorId, agencyId: indicator.agencyId,
          before: existing ? auditedTarget(period, { value: existing.value, min: existing.minValue, max: existing.maxValue }) : null,
          after: auditedTarget(period, target),
        });
        return { dto: toTargetDto(row), created: !existing };
      }, { retry: true });
    },
  };
}
