import type { FastifyRequest } from 'fastify';
import type { Db, DbOrTx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { isValidAnswer, scoreEvaluation, SCALE_ANSWERS } from '../../domain/evaluation.js';
import { assertInScope, type Actor } from '../../http/access.js';
import { checkIfMatch } from '../../http/etag.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { badRequest, conflict, type FieldError } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { writeAudit } from '../audit/repository.js';
import { frameworkRepository, type FrameworkRow } from '../frameworks/repository.js';
import { evaluationRepository, type AnswerRow, type EvaluationRow } from './repository.js';
import type { AnswersBody, EvaluationDto } from './schemas.js';

/** The evaluation with its scores, computed now from the stored answers (DOMAIN.md "Evaluation"). */
export function toEvaluationDto(row: EvaluationRow, framework: FrameworkRow, answers: AnswerRow[]): EvaluationDto {
  const def = framework.definition;
  const score = scoreEvaluation(def, new Map(answers.map((a) => [a.criterionId, a.answer])));
  // Answers in the framework's criterion order, as an evaluator reads the LKE sheet.
  const order = new Map(def.components.flatMap((c) => c.subComponents.flatMap((s) => s.criteria.map((cr) => cr.id))).map((id, i) => [id, i]));
  const sorted = [...answers].sort((a, b) => (order.get(a.criterionId) ?? Infinity) - (order.get(b.criterionId) ?? Infinity));
  return {
    id: row.id,
    agencyId: row.agencyId,
    year: row.year,
    frameworkId: row.frameworkId,
    frameworkCode: framework.code,
    status: row.status,
    total: Number(score.total),
    grade: score.grade,
    components: score.components.map((c, i) => ({
      code: c.code,
      weight: Number(def.components[i].weight),
      score: Number(c.score),
      subComponents: c.subComponents.map((s, j) => ({
        code: s.code, weight: Number(def.components[i].subComponents[j].weight), score: Number(s.score), criteria: s.criteria, answered: s.answered,
      })),
    })),
    answers: sorted.map((a) => ({
      criterionId: a.criterionId, answer: a.answer, note: a.note, updatedAt: a.updatedAt.toISOString(), updatedBy: a.updatedBy,
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finalizedAt: row.finalizedAt?.toISOString() ?? null,
    finalizedBy: row.finalizedBy,
  };
}

export function evaluationService(db: Db) {
  const repo = evaluationRepository(db);
  const frameworks = frameworkRepository(db);
  const agencies = agencyService(db);

  /** An evaluation the caller may see (outside the scope: 404), optionally locked for a change. */
  async function load(actor: Actor, id: string, tx: DbOrTx = db, lock = false): Promise<EvaluationRow> {
    const hit = await repo.findById(id, tx, lock);
    assertInScope(actor, hit?.agencyPath, 'Evaluation');
    return hit!.row;
  }

  async function frameworkOf(row: EvaluationRow, tx: DbOrTx): Promise<FrameworkRow> {
    const fw = await frameworks.findByRef(row.frameworkId, tx);
    if (!fw) throw new Error(`framework ${row.frameworkId} of evaluation ${row.id} is missing`);
    return fw;
  }

  async function dto(row: EvaluationRow, tx: DbOrTx): Promise<EvaluationDto> {
    return toEvaluationDto(row, await frameworkOf(row, tx), await repo.answersOf([row.id], tx));
  }

  const duplicate = (year: number, code: string) => conflict(`This agency already has an evaluation for ${year} with framework ${code}`);
  const assertDraft = (row: EvaluationRow) => {
    if (row.status === 'final') throw conflict('The evaluation is final and can no longer change');
  };

  return {
    load,

    async get(actor: Actor, id: string): Promise<EvaluationDto> {
      return dto(await load(actor, id), db);
    },

    async list(actor: Actor, agencyId: string, q: { year?: number; cursor?: string; limit: number }) {
      await agencies.getVisible(actor, agencyId);
      const rows = await repo.listByAgency(agencyId, { year: q.year, afterId: decodeIdCursor(q.cursor), limit: q.limit });
      const page = rows.slice(0, q.limit);
      const answers = await repo.answersOf(page.map((r) => r.id));
      const fws = new Map<string, FrameworkRow>();
      for (const r of page) if (!fws.has(r.frameworkId)) fws.set(r.frameworkId, await frameworkOf(r, db));
      return pageOf(rows, q.limit, (r) => r.id, (r) => toEvaluationDto(r, fws.get(r.frameworkId)!, answers.filter((a) => a.evaluationId === r.id)));
    },

    async create(actor: Actor, agencyId: string, body: { year: number; frameworkId: string }): Promise<EvaluationDto> {
      let code = body.frameworkId;
      try {
        return await db.transaction(async (tx) => {
          await agencies.getVisible(actor, agencyId, tx);
          // A share lock keeps the framework from being changed while an evaluation starts using it.
          const fw = await frameworks.findByRef(body.frameworkId, tx, 'share');
          if (!fw) throw badRequest(`No evaluation framework ${body.frameworkId}`, [{ path: 'frameworkId', message: 'unknown framework' }]);
          code = fw.code;
          if (await repo.findByKey(agencyId, body.year, fw.id, tx)) throw duplicate(body.year, fw.code);
          const row = await repo.insert({ agencyId, year: body.year, frameworkId: fw.id, createdBy: actor.clientId }, tx);
          const out = toEvaluationDto(row, fw, []);
          await writeAudit(tx, actor, { action: 'evaluation.create', entityType: 'evaluation', entityId: row.id, agencyId, after: { ...out, answers: undefined } });
          return out;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicate(body.year, code);
        throw err;
      }
    },

    /** Upserts answers; all or nothing: one invalid answer and none is written. */
    async putAnswers(actor: Actor, req: FastifyRequest, id: string, body: AnswersBody): Promise<EvaluationDto> {
      return db.transaction(async (tx) => {
        const row = await load(actor, id, tx, true);
        const fw = await frameworkOf(row, tx);
        const current = await repo.answersOf([row.id], tx);
        checkIfMatch(req, toEvaluationDto(row, fw, current));
        assertDraft(row);

        const criteria = new Map(fw.definition.components.flatMap((c) => c.subComponents.flatMap((s) => s.criteria)).map((cr) => [cr.id, cr]));
        const errors: FieldError[] = [];
        const seen = new Set<string>();
        body.answers.forEach((a, i) => {
          const criterion = criteria.get(a.criterionId);
          if (!criterion) errors.push({ path: `answers.${i}.criterionId`, message: `criterion ${a.criterionId} is not in framework ${fw.code}` });
          else if (seen.has(a.criterionId)) errors.push({ path: `answers.${i}.criterionId`, message: `criterion ${a.criterionId} is answered twice in this request` });
          else if (!isValidAnswer(criterion.scale, a.answer)) {
            errors.push({ path: `answers.${i}.answer`, message: `criterion ${a.criterionId} (scale ${criterion.scale}) takes ${SCALE_ANSWERS[criterion.scale].join(', ')}, not ${JSON.stringify(a.answer)}` });
          }
          seen.add(a.criterionId);
        });
        if (errors.length) throw badRequest(`Answers refused, nothing was written: ${errors.map((e) => e.message).join('; ')}`, errors);

        const previous = new Map(current.map((a) => [a.criterionId, a]));
        // An omitted note keeps the note already there; `note: null` clears it.
        const rows = body.answers.map((a) => ({
          criterionId: a.criterionId, answer: a.answer, note: a.note === undefined ? (previous.get(a.criterionId)?.note ?? null) : a.note,
        }));
        const before = toEvaluationDto(row, fw, current);
        await repo.upsertAnswers(row.id, rows, actor.clientId, tx);
        const updated = await repo.update(row.id, {}, tx);
        const after = toEvaluationDto(updated, fw, await repo.answersOf([row.id], tx));
        await writeAudit(tx, actor, {
          action: 'evaluation.answers', entityType: 'evaluation', entityId: row.id, agencyId: row.agencyId,
          before: { total: before.total, grade: before.grade, answers: rows.map((r) => {
            const p = previous.get(r.criterionId);
            return { criterionId: r.criterionId, answer: p?.answer ?? null, note: p?.note ?? null };
          }) },
          after: { total: after.total, grade: after.grade, answers: rows },
        });
        return after;
      });
    },

    async finalize(actor: Actor, id: string): Promise<EvaluationDto> {
      return db.transaction(async (tx) => {
        const row = await load(actor, id, tx, true);
        assertDraft(row);
        const updated = await repo.update(row.id, { status: 'final', finalizedAt: new Date(), finalizedBy: actor.clientId }, tx);
        const out = await dto(updated, tx);
        await writeAudit(tx, actor, {
          action: 'evaluation.finalize', entityType: 'evaluation', entityId: row.id, agencyId: row.agencyId,
          before: { status: row.status }, after: { status: out.status, total: out.total, grade: out.grade, finalizedAt: out.finalizedAt },
        });
        return out;
      });
    },
  };
}
