import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import { onUniqueViolation } from '../../db/errors.js';
import {
  actionPlanItems, agreementBudget, agreementItems, agreements, analyses, budgets, crosscuttingLinks, elements, ELEMENT_LEVELS, indicators,
  measurements, targets,
} from '../../db/schema/index.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { writeGate } from '../../db/gate.js';
import { badRequest, conflict, periodLocked, type FieldError } from '../../http/problem.js';
import type { AuditEntry } from '../audit/repository.js';
import { lockedPairs } from '../locks/repository.js';
import { elementsWithAgencyPath, subtreeIds, visibleElement, visiblePlan, type ElementRow } from './repository.js';
import type { ElementDto } from './schemas.js';

type Level = ElementRow['level'];
export const levelDepth = (l: Level) => ELEMENT_LEVELS.indexOf(l);

export const toElementDto = (r: ElementRow): ElementDto => ({
  id: r.id,
  planId: r.planId,
  agencyId: r.agencyId,
  parentId: r.parentId,
  level: r.level,
  code: r.code,
  title: r.title,
  supports: r.supports,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

type ElementInput = { parentId?: string | null; level: Level; code: string; title: string; supports?: string[] };

const duplicateCode = (code: string) => conflict(`An element with code ${code} already exists in this plan`);

/** Cascading: every supported element must belong to a plan of a strict ancestor of the element's
 * agency. Being strictly higher also rules out supporting itself and any cycle. */
async function checkSupports(tx: DbOrTx, agencyPath: string[], ids: string[], selfId?: string): Promise<string[]> {
  const ancestors = agencyPath.slice(0, -1);
  const rows = new Map((await elementsWithAgencyPath(tx, [...new Set(ids)])).map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  ids.forEach((id, i) => {
    const row = rows.get(id);
    const path = `supports.${i}`;
    if (id === selfId) errors.push({ path, message: 'an element cannot support itself' });
    else if (!row) errors.push({ path, message: 'unknown element' });
    else if (!ancestors.includes(row.agencyId)) {
      errors.push({ path, message: 'not an element of a plan of an ancestor agency (cascading goes to higher agencies only)' });
    }
  });
  if (errors.length) throw badRequest(`supports is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
  return [...new Set(ids)];
}

async function checkParent(tx: DbOrTx, planId: string, parentId: string, level: Level, selfSubtree: string[] = []): Promise<void> {
  const [parent] = await tx.select().from(elements).where(eq(elements.id, parentId));
  if (!parent || parent.planId !== planId) {
    throw badRequest('parentId names no element of this plan', [{ path: 'parentId', message: 'not an element of this plan' }]);
  }
  if (selfSubtree.includes(parentId)) {
    throw badRequest('An element cannot move below itself or its descendants', [{ path: 'parentId', message: 'would create a cycle' }]);
  }
  if (levelDepth(level) <= levelDepth(parent.level)) {
    throw badRequest(`A ${level} cannot sit below a ${parent.level}: a child is deeper than its parent (goal > objective > program > activity > sub_activity)`,
      [{ path: 'level', message: `must be deeper than ${parent.level}` }]);
  }
}

/** Writes audit rows in chunks so a large subtree stays under the statement parameter limit. */
async function auditChunked(audit: (e: AuditEntry[]) => Promise<void>, entries: AuditEntry[]) {
  for (let i = 0; i < entries.length; i += 1000) await audit(entries.slice(i, i + 1000));
}

export function elementService(db: Db) {
  const gate = writeGate(db);
  const withDuplicate = <T>(code: string | undefined, fn: () => Promise<T>) => onUniqueViolation(fn, () => duplicateCode(code ?? ''));

  return {
    async create(actor: Actor, planId: string, input: ElementInput): Promise<ElementDto> {
      return withDuplicate(input.code, () => gate.run(actor, async ({ tx, audit }) => {
        const plan = await visiblePlan(tx, actor, planId);
        if (input.parentId) await checkParent(tx, planId, input.parentId, input.level);
        const supports = await checkSupports(tx, plan.agencyPath, input.supports ?? []);
        const [dup] = await tx.select({ id: elements.id }).from(elements).where(and(eq(elements.planId, planId), eq(elements.code, input.code)));
        if (dup) throw duplicateCode(input.code);
        const [row] = await tx.insert(elements).values({
          planId, agencyId: plan.agencyId, parentId: input.parentId ?? null, level: input.level, code: input.code, title: input.title, supports,
        }).returning();
        const dto = toElementDto(row);
        await audit({ action: 'element.create', entityType: 'element', entityId: row.id, agencyId: row.agencyId, after: dto });
        return dto;
      }));
    },

    async get(actor: Actor, id: string): Promise<ElementDto> {
      return toElementDto((await visibleElement(db, actor, id)).element);
    },

    async update(actor: Actor, ifMatch: string | undefined, id: string, patch: Partial<ElementInput>): Promise<ElementDto> {
      return withDuplicate(patch.code, () => gate.run(actor, async ({ tx, audit }) => {
        const { element: cur, agencyPath } = await visibleElement(tx, actor, id, true);
        const before = toElementDto(cur);
        assertIfMatch(ifMatch, before);
        const values: Partial<typeof elements.$inferInsert> = {};
        const level = patch.level ?? cur.level;
        const parentId = patch.parentId !== undefined ? patch.parentId : cur.parentId;
        if (level !== cur.level || parentId !== cur.parentId) {
          if (parentId) await checkParent(tx, cur.planId, parentId, level, await subtreeIds(tx, id));
          const children = await tx.select({ level: elements.level }).from(elements).where(eq(elements.parentId, id));
          const shallow = children.find((c) => levelDepth(c.level) <= levelDepth(level));
          if (shallow) throw badRequest(`This element has a ${shallow.level} below it; it cannot become a ${level}`, [{ path: 'level', message: 'must stay above its children' }]);
          values.level = level;
          values.parentId = parentId ?? null;
        }
        if (patch.code !== undefined && patch.code !== cur.code) {
          const [dup] = await tx.select({ id: elements.id }).from(elements).where(and(eq(elements.planId, cur.planId), eq(elements.code, patch.code)));
          if (dup) throw duplicateCode(patch.code);
          values.code = patch.code;
        }
        if (patch.title !== undefined) values.title = patch.title;
        if (patch.supports !== undefined) values.supports = await checkSupports(tx, agencyPath, patch.supports, id);
        const [row] = await tx.update(elements).set({ ...values, updatedAt: new Date() }).where(eq(elements.id, id)).returning();
        const after = toElementDto(row);
        await audit({ action: 'element.update', entityType: 'element', entityId: id, agencyId: row.agencyId, before, after });
        return after;
      }));
    },

    /** Deletes the element's subtree with its indicators, targets and budgets; refused (409) where
     * a measurement hangs below or a signed agreement names one of them. */
    async remove(actor: Actor, ifMatch: string | undefined, id: string): Promise<void> {
      await gate.run(actor, async ({ tx, audit }) => {
        const { element: cur } = await visibleElement(tx, actor, id, true);
        assertIfMatch(ifMatch, toElementDto(cur));
        const ids = await subtreeIds(tx, id);
        const inds = await tx.select().from(indicators).where(inArray(indicators.elementId, ids));
        const indIds = inds.map((i) => i.id);
        if (indIds.length) {
          const [m] = await tx.select({ id: measurements.indicatorId }).from(measurements).where(inArray(measurements.indicatorId, indIds)).limit(1);
          if (m) throw conflict('Measurements (realisasi) are recorded for indicators of this element or below; it cannot be deleted');
        }
        const signed = await queryRows(tx, sql`
          SELECT 1 FROM ${agreements} a WHERE a.status = 'signed' AND (
            EXISTS (SELECT 1 FROM ${agreementItems} i WHERE i.agency_id = a.agency_id AND i.year = a.year AND i.version = a.version AND i.indicator_id = ANY(${sql.param(indIds)}::uuid[]))
            OR EXISTS (SELECT 1 FROM ${agreementBudget} b WHERE b.agency_id = a.agency_id AND b.year = a.year AND b.version = a.version AND b.element_id = ANY(${sql.param(ids)}::uuid[])))
          LIMIT 1`);
        if (signed.length) throw conflict('A signed performance agreement (Perjanjian Kinerja) names this element or one of its indicators; it cannot be deleted');
        // The targets, budgets and draft agreement lines deleted with the subtree are changes to
        // their periods: refused where a period is locked (DOMAIN.md: every change is refused).
        const used = await queryRows<{ period: string }>(tx, sql`
          SELECT period FROM ${targets} WHERE indicator_id = ANY(${sql.param(indIds)}::uuid[])
          UNION SELECT year::text FROM ${budgets} WHERE element_id = ANY(${sql.param(ids)}::uuid[])
          UNION SELECT year::text FROM ${agreementItems} WHERE indicator_id = ANY(${sql.param(indIds)}::uuid[])
          UNION SELECT year::text FROM ${agreementBudget} WHERE element_id = ANY(${sql.param(ids)}::uuid[])
          UNION SELECT year::text FROM ${actionPlanItems} WHERE indicator_id = ANY(${sql.param(indIds)}::uuid[])
          UNION SELECT year::text FROM ${analyses} WHERE indicator_id = ANY(${sql.param(indIds)}::uuid[])`);
        const locked = await lockedPairs(tx, used.map((u) => ({ agencyId: cur.agencyId, period: u.period })));
        if (locked.size) throw periodLocked([...locked].map((k) => k.split('|')[1]).sort()[0]);
        // Draft agreements just lose the lines; elements of lower plans stop supporting the deleted ones.
        const supporters = await tx.update(elements)
          .set({ supports: sql`ARRAY(SELECT s FROM unnest(${elements.supports}) s WHERE s <> ALL(${sql.param(ids)}::uuid[]))`, updatedAt: new Date() })
          .where(sql`${elements.supports} && ${sql.param(ids)}::uuid[] AND NOT (${elements.id} = ANY(${sql.param(ids)}::uuid[]))`)
          .returning();
        // Crosscutting links of the deleted elements go with them (their audit trail stays).
        await tx.delete(crosscuttingLinks).where(sql`${crosscuttingLinks.fromElementId} = ANY(${sql.param(ids)}::uuid[]) OR ${crosscuttingLinks.toElementId} = ANY(${sql.param(ids)}::uuid[])`);
        if (indIds.length) {
          await tx.delete(actionPlanItems).where(inArray(actionPlanItems.indicatorId, indIds));
          await tx.delete(analyses).where(inArray(analyses.indicatorId, indIds));
          await tx.delete(agreementItems).where(inArray(agreementItems.indicatorId, indIds));
          await tx.delete(targets).where(inArray(targets.indicatorId, indIds));
          await tx.delete(indicators).where(inArray(indicators.id, indIds));
        }
        await tx.delete(agreementBudget).where(inArray(agreementBudget.elementId, ids));
        await tx.delete(budgets).where(inArray(budgets.elementId, ids));
        const gone = await tx.delete(elements).where(inArray(elements.id, ids)).returning();
        await auditChunked(audit, [
          ...gone.map((e) => ({ action: 'element.delete', entityType: 'element', entityId: e.id, agencyId: e.agencyId, before: toElementDto(e) })),
          ...inds.map((i) => ({ action: 'indicator.delete', entityType: 'indicator', entityId: i.id, agencyId: i.agencyId, before: { code: i.code, name: i.name, elementId: i.elementId } })),
          ...supporters.map((e) => ({ action: 'element.update', entityType: 'element', entityId: e.id, agencyId: e.agencyId, after: toElementDto(e) })),
        ]);
      });
    },
  };
}
