import type { Db, DbOrTx } from '../../db/client.js';
import { formatDecimal } from '../../domain/decimal.js';
import {
  allowedTransitions, canTransition, followUpRate, isOverdue, RECOMMENDATION_STATUSES, roleMayTransition, transitionActor,
  type RecommendationStatus,
} from '../../domain/recommendation.js';
import { assertInScope, type Actor } from '../../http/access.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { badRequest, conflict, forbidden } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { writeGate, type WriteUnit } from '../../db/gate.js';
import { evaluationService } from '../evaluations/service.js';
import { frameworkRepository } from '../frameworks/repository.js';
import { recommendationRepository, type FollowUpRow, type RecommendationRow, type StatusChangeRow } from './repository.js';
import type { FollowUpDto, RecommendationDto } from './schemas.js';

const todayUtc = () => new Date();

export const toRecommendationDto = (r: RecommendationRow, today: Date = todayUtc()): RecommendationDto => ({
  id: r.id,
  evaluationId: r.evaluationId,
  agencyId: r.agencyId,
  year: r.year,
  text: r.text,
  componentCode: r.componentCode,
  priority: r.priority,
  dueDate: r.dueDate,
  status: r.status,
  overdue: isOverdue(r, today),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const toFollowUpDto = (f: FollowUpRow): FollowUpDto => ({
  id: f.id,
  recommendationId: f.recommendationId,
  action: f.action,
  evidence: f.evidence ?? [],
  progress: f.progress === null ? null : Number(f.progress),
  createdAt: f.createdAt.toISOString(),
  createdBy: f.createdBy,
});

export const toStatusChangeDto = (c: StatusChangeRow) => ({
  id: c.id,
  fromStatus: c.fromStatus as RecommendationStatus,
  toStatus: c.toStatus as RecommendationStatus,
  comment: c.comment,
  changedAt: c.changedAt.toISOString(),
  changedBy: c.changedBy,
});

const SIDE = { agency: 'the agency (operator or admin)', evaluator: 'the evaluator (evaluator or admin)' } as const;

export function recommendationService(db: Db) {
  const repo = recommendationRepository(db);
  const evaluations = evaluationService(db);
  const frameworks = frameworkRepository(db);
  const agencies = agencyService(db);
  const gate = writeGate(db);

  /** A recommendation the caller may see (outside the scope: 404), optionally locked for a change. */
  async function load(actor: Actor, id: string, tx: DbOrTx = db, lock = false): Promise<RecommendationRow> {
    const hit = await repo.findById(id, tx, lock);
    assertInScope(actor, hit?.agencyPath, 'Recommendation');
    return hit!.row;
  }

  const assertAgencyVisible = (actor: Actor, agencyId: string) => agencies.getVisible(actor, agencyId);

  /** Applies one status move of the machine, records it and audits it, in `tx`. */
  async function move(w: Pick<WriteUnit, 'tx' | 'actor' | 'audit'>, rec: RecommendationRow, to: RecommendationStatus, comment: string | null) {
    const { tx, actor } = w;
    const updated = await repo.setStatus(rec.id, to, tx);
    await repo.insertStatusChange({ recommendationId: rec.id, fromStatus: rec.status, toStatus: to, comment, changedBy: actor.clientId }, tx);
    await w.audit({
      action: 'recommendation.status', entityType: 'recommendation', entityId: rec.id, agencyId: rec.agencyId,
      before: { status: rec.status }, after: { status: to, comment },
    });
    return updated;
  }

  return {
    async get(actor: Actor, id: string) {
      return toRecommendationDto(await load(actor, id));
    },

    async list(actor: Actor, agencyId: string, q: { status?: RecommendationStatus; year?: number; cursor?: string; limit: number }) {
      await assertAgencyVisible(actor, agencyId);
      const rows = await repo.listByAgency(agencyId, { status: q.status, year: q.year, afterId: decodeIdCursor(q.cursor), limit: q.limit });
      const today = todayUtc();
      return pageOf(rows, q.limit, (r) => r.id, (r) => toRecommendationDto(r, today));
    },

    async create(actor: Actor, evaluationId: string, body: { text: string; componentCode?: string | null; priority: RecommendationRow['priority']; dueDate: string }) {
      return gate.run(actor, async ({ tx, audit }) => {
        const evaluation = await evaluations.load(actor, evaluationId, tx);
        if (body.componentCode) {
          const fw = await frameworks.findByRef(evaluation.frameworkId, tx);
          const codes = fw?.definition.components.map((c) => c.code) ?? [];
          if (!codes.includes(body.componentCode)) {
            throw badRequest(`componentCode ${body.componentCode} is not a component of the evaluation's framework`, [
              { path: 'componentCode', message: `one of ${codes.join(', ')}` },
            ]);
          }
        }
        const row = await repo.insert({
          evaluationId, agencyId: evaluation.agencyId, year: evaluation.year, text: body.text,
          componentCode: body.componentCode ?? null, priority: body.priority, dueDate: body.dueDate,
        }, tx);
        const dto = toRecommendationDto(row);
        await audit({ action: 'recommendation.create', entityType: 'recommendation', entityId: row.id, agencyId: row.agencyId, after: dto });
        return dto;
      });
    },

    /** The status machine of DOMAIN.md; an illegal move is 409 naming the allowed ones, the wrong side 403. */
    async changeStatus(actor: Actor, id: string, body: { status: RecommendationStatus; comment?: string }) {
      return gate.run(actor, async ({ tx, audit }) => {
        const rec = await load(actor, id, tx, true);
        const from = rec.status;
        if (!canTransition(from, body.status)) {
          const allowed = allowedTransitions(from);
          throw conflict(
            `A recommendation that is ${from} cannot move to ${body.status}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none (it is closed)'}`,
            { currentStatus: from, allowed },
          );
        }
        if (!roleMayTransition(actor.role, from, body.status)) {
          throw forbidden(`Moving a recommendation from ${from} to ${body.status} is done by ${SIDE[transitionActor(from, body.status)!]}`);
        }
        return toRecommendationDto(await move({ tx, actor, audit }, rec, body.status, body.comment ?? null));
      });
    },

    async statusChanges(actor: Actor, id: string) {
      await load(actor, id);
      return { data: (await repo.statusChanges(id)).map(toStatusChangeDto) };
    },

    /**
     * Records a follow-up by the agency. The first one on an `open` recommendation moves it to
     * `in_progress` (recorded and audited like any move): acting on it is what "in progress" means.
     * A completed or verified recommendation takes no follow-up until an evaluator sends it back.
     */
    async addFollowUp(actor: Actor, id: string, body: { action: string; evidence?: Array<{ title: string; url: string }>; progress?: number }) {
      return gate.run(actor, async ({ tx, audit }) => {
        let rec = await load(actor, id, tx, true);
        if (rec.status === 'completed' || rec.status === 'verified') {
          throw conflict(`The recommendation is ${rec.status}; follow-ups are recorded while it is open or in_progress (an evaluator may send a completed one back)`, {
            currentStatus: rec.status,
          });
        }
        const row = await repo.insertFollowUp({
          recommendationId: rec.id, action: body.action, evidence: body.evidence ?? [],
          progress: body.progress === undefined ? null : formatDecimal(body.progress, 2), createdBy: actor.clientId,
        }, tx);
        const dto = toFollowUpDto(row);
        await audit({ action: 'follow-up.create', entityType: 'follow_up', entityId: row.id, agencyId: rec.agencyId, after: dto });
        if (rec.status === 'open') rec = await move({ tx, actor, audit }, rec, 'in_progress', 'first follow-up recorded');
        return { ...dto, recommendation: toRecommendationDto(rec) };
      });
    },

    async listFollowUps(actor: Actor, id: string, q: { cursor?: string; limit: number }) {
      await load(actor, id);
      const rows = await repo.listFollowUps(id, { afterId: decodeIdCursor(q.cursor), limit: q.limit });
      return pageOf(rows, q.limit, (r) => r.id, toFollowUpDto);
    },

    /** Counts by status, the follow-up rate (0 with no recommendation, see followUpRate) and overdue ones. */
    async summary(actor: Actor, agencyId: string, year: number) {
      await assertAgencyVisible(actor, agencyId);
      const byStatus = Object.fromEntries(RECOMMENDATION_STATUSES.map((s) => [s, 0])) as Record<RecommendationStatus, number>;
      let overdue = 0;
      const today = todayUtc();
      for (const g of await repo.countsByStatusAndDue(agencyId, year)) {
        const n = Number(g.n);
        byStatus[g.status] += n;
        if (isOverdue(g, today)) overdue += n;
      }
      const total = RECOMMENDATION_STATUSES.reduce((t, s) => t + byStatus[s], 0);
      return { agencyId, year, total, byStatus, rate: Number(followUpRate(byStatus)), overdue };
    },
  };
}
