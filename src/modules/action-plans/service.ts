/**
 * Rencana Aksi (DOMAIN.md "Action plan"): versions per agency and year, draft -> submitted ->
 * approved | returned. Every write goes through the write gate (scope, period lock, audit,
 * Idempotency-Key) in one transaction.
 *
 * Versions: PUT replaces the draft; after an approved or a returned version it starts a new draft
 * version (the returned one stays as the record of the review); while a version is submitted and
 * not yet reviewed, PUT is 409.
 */
import type { Db, DbOrTx } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import { deviates, impliedAnnual } from '../../domain/action-plan.js';
import { isRange } from '../../domain/achievement.js';
import type { Aggregation } from '../../domain/aggregation.js';
import { formatDecimal } from '../../domain/decimal.js';
import { quartersOf } from '../../domain/period.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { actionPlanRepository as repo, type ActionPlanItemRow, type ActionPlanRow } from './repository.js';
import type { ActionPlanDto, ActionPlanItemInput } from './schemas.js';

type Key = { agencyId: string; year: number };
/** An action plan sets the four quarters of the year: a lock of the year or of any quarter refuses it. */
const periodsOf = (year: number) => [String(year), ...quartersOf(year)];
const iso = (d: Date | null) => d?.toISOString() ?? null;
const invalid = (errors: FieldError[]) => badRequest(`The action plan is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);

/** The versions as DTOs, each item with its deviation against the annual target. */
async function toDtos(tx: DbOrTx, k: Key, rows: ActionPlanRow[]): Promise<ActionPlanDto[]> {
  const items = await repo.items(tx, k, rows.map((r) => r.version));
  const ids = [...new Set(items.map((i) => i.indicatorId))];
  const aggregation = new Map((await repo.indicatorsOf(tx, k.agencyId, ids)).map((i) => [i.id, i.aggregation as Aggregation]));
  const annual = await repo.annualTargets(tx, k, ids);
  const itemDto = (i: ActionPlanItemRow) => {
    const target = annual.get(i.indicatorId) ?? null;
    const implied = impliedAnnual(aggregation.get(i.indicatorId) ?? 'sum', [i.q1, i.q2, i.q3, i.q4]);
    return {
      indicatorId: i.indicatorId,
      quarterTargets: { Q1: Number(i.q1), Q2: Number(i.q2), Q3: Number(i.q3), Q4: Number(i.q4) },
      activities: i.activities,
      deviationReason: i.deviationReason,
      deviation: deviates(implied, target) ? {
        implied: Number(implied),
        annualTarget: target === null || isRange(target) ? null : Number(target),
        annualTargetRange: target !== null && isRange(target) ? { min: Number(target.min), max: Number(target.max) } : null,
      } : null,
    };
  };
  return rows.map((r) => ({
    agencyId: r.agencyId, year: r.year, version: r.version, status: r.status,
    items: items.filter((i) => i.version === r.version).map(itemDto),
    submittedAt: iso(r.submittedAt), submittedBy: r.submittedBy, reviewedBy: r.reviewedBy, reviewedAt: iso(r.reviewedAt),
    comment: r.comment, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  }));
}

async function current(tx: DbOrTx, k: Key, forUpdate = false): Promise<ActionPlanDto | null> {
  const row = await repo.latest(tx, k, forUpdate);
  return row ? (await toDtos(tx, k, [row]))[0] : null;
}

/** Items name indicators of the agency whose plan covers the year, each once. */
async function checkItems(tx: DbOrTx, k: Key, items: ActionPlanItemInput[]): Promise<void> {
  const found = new Map((await repo.indicatorsOf(tx, k.agencyId, [...new Set(items.map((i) => i.indicatorId))])).map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  items.forEach((it, n) => {
    const ind = found.get(it.indicatorId);
    const path = `items.${n}.indicatorId`;
    if (seen.has(it.indicatorId)) errors.push({ path, message: 'listed twice' });
    else if (!ind) errors.push({ path, message: 'not an indicator of this agency' });
    else if (k.year < ind.start || k.year > ind.end) errors.push({ path, message: `its plan covers ${ind.start}-${ind.end}, not ${k.year}` });
    seen.add(it.indicatorId);
  });
  if (errors.length) throw invalid(errors);
}

/** The verifier rule: never a client scoped to the agency itself; else an admin, an evaluator, or
 * an operator of a strict ancestor agency (the caller is already known to have it in scope). */
export function assertReviewer(actor: Actor, agencyId: string): void {
  if (actor.agencyId === agencyId) throw forbidden('An action plan is reviewed by a verifier outside the agency (a higher agency\'s operator, an evaluator or an admin), never by a client of the agency itself');
  if (!['admin', 'evaluator', 'operator'].includes(actor.role)) throw forbidden(`Role ${actor.role} may not review action plans`);
}

export function actionPlanService(db: Db) {
  const gate = writeGate(db);
  const agencies = agencyService(db);
  const entityId = (k: Key, v: number) => `${k.agencyId}/${k.year}/${v}`;

  return {
    async current(actor: Actor, k: Key): Promise<ActionPlanDto> {
      await agencies.getVisible(actor, k.agencyId);
      const dto = await current(db, k);
      if (!dto) throw notFound(`Action plan of ${k.year}`);
      return dto;
    },

    async versions(actor: Actor, k: Key, q: { limit: number; cursor?: string }) {
      await agencies.getVisible(actor, k.agencyId);
      const after = decodeCursor(q.cursor, (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31);
      const rows = await repo.versions(db, k, after, q.limit);
      const page = pageOf(rows, q.limit, (r) => r.version);
      return { data: await toDtos(db, k, page.data), nextCursor: page.nextCursor };
    },

    /** Replaces the draft, or starts a new draft version after an approved or returned one. */
    async put(actor: Actor, ifMatch: string | undefined, k: Key, items: ActionPlanItemInput[]): Promise<{ dto: ActionPlanDto; created: boolean }> {
      return gate.run(actor, async (w) => {
        await w.agency(k.agencyId, periodsOf(k.year));
        const before = await current(w.tx, k, true);
        assertIfMatch(ifMatch, before);
        if (before?.status === 'submitted') {
          throw conflict(`Version ${before.version} of ${k.year} is submitted and waits for review; it can change once it is returned (or approved: then as a new version)`);
        }
        await checkItems(w.tx, k, items);
        const created = !before || before.status !== 'draft';
        const version = created ? (before?.version ?? 0) + 1 : before!.version;
        if (created) await repo.insertVersion(w.tx, k, version);
        else await repo.update(w.tx, k, version, {});
        await repo.replaceItems(w.tx, k, version, items.map((it, position) => ({
          indicatorId: it.indicatorId, position,
          q1: formatDecimal(it.quarterTargets.Q1), q2: formatDecimal(it.quarterTargets.Q2),
          q3: formatDecimal(it.quarterTargets.Q3), q4: formatDecimal(it.quarterTargets.Q4),
          activities: it.activities.map((a) => ({ title: a.title, responsible: a.responsible ?? null, budget: a.budget ?? null })),
          deviationReason: it.deviationReason ?? null,
        })));
        const dto = (await current(w.tx, k))!;
        await w.audit({
          action: created ? 'actionplan.draft' : 'actionplan.update', entityType: 'action_plan', entityId: entityId(k, version),
          agencyId: k.agencyId, before: created ? null : before, after: dto,
        });
        return { dto, created };
      }, { retry: true });
    },

    /** draft -> submitted; every deviating item needs its deviationReason. */
    async submit(actor: Actor, k: Key): Promise<ActionPlanDto> {
      return gate.run(actor, async (w) => {
        await w.agency(k.agencyId, periodsOf(k.year));
        const before = await current(w.tx, k, true);
        if (!before) throw conflict(`There is no action plan of ${k.year} to submit; PUT a draft first`);
        if (before.status !== 'draft') throw conflict(`Version ${before.version} is ${before.status}; only a draft can be submitted`);
        if (!before.items.length) throw invalid([{ path: 'items', message: 'an action plan needs at least one item to be submitted' }]);
        const missing = before.items.flatMap((it, n) => (it.deviation && !it.deviationReason
          ? [{ path: `items.${n}.deviationReason`, message: `the quarters imply ${it.deviation.implied}, not the annual target; give the reason for the deviation` }]
          : []));
        if (missing.length) throw invalid(missing);
        await repo.update(w.tx, k, before.version, { status: 'submitted', submittedAt: new Date(), submittedBy: actor.clientId });
        const dto = (await current(w.tx, k))!;
        await w.audit({ action: 'actionplan.submit', entityType: 'action_plan', entityId: entityId(k, dto.version), agencyId: k.agencyId, before, after: dto });
        return dto;
      });
    },

    /** submitted -> approved | returned, by a verifier (assertReviewer); a comment to return. */
    async review(actor: Actor, k: Key, decision: 'approved' | 'returned', comment: string | undefined): Promise<ActionPlanDto> {
      return gate.run(actor, async (w) => {
        await w.agency(k.agencyId);
        assertReviewer(actor, k.agencyId);
        if (decision === 'returned' && !comment) throw badRequest('A comment is required to return an action plan', [{ path: 'comment', message: 'required to return' }]);
        await w.assertOpen(k.agencyId, periodsOf(k.year));
        const before = await current(w.tx, k, true);
        if (!before) throw notFound(`Action plan of ${k.year}`);
        if (before.status !== 'submitted') throw conflict(`Version ${before.version} is ${before.status}; only a submitted action plan can be reviewed`);
        await repo.update(w.tx, k, before.version, { status: decision, reviewedBy: actor.clientId, reviewedAt: new Date(), comment: comment ?? null });
        const dto = (await current(w.tx, k))!;
        await w.audit({
          action: decision === 'approved' ? 'actionplan.approve' : 'actionplan.return', entityType: 'action_plan',
          entityId: entityId(k, dto.version), agencyId: k.agencyId, before, after: dto,
        });
        return dto;
      });
    },
  };
}
