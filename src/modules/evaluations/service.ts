import type { Db, DbOrTx } from '../../db/client.js';
import { writeGate, type WriteUnit } from '../../db/gate.js';
import { isUniqueViolation } from '../../db/errors.js';
import { isValidAnswer, SCALE_ANSWERS } from '../../domain/evaluation.js';
import { assertInScope, type Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { badRequest, conflict, type FieldError } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { frameworkRepository, type FrameworkRow } from '../frameworks/repository.js';
import { answerSheet, toEvaluationDto } from './dto.js';
import { evaluationRepository, type Evidence, type EvaluationRow } from './repository.js';
import type { AnswersBody, EvaluationDto, SelfAnswersBody } from './schemas.js';

export { toEvaluationDto } from './dto.js';

type Side = 'evaluator' | 'self';

export function evaluationService(db: Db) {
  const repo = evaluationRepository(db);
  const frameworks = frameworkRepository(db);
  const agencies = agencyService(db);
  const gate = writeGate(db);

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

  async function dto(row: EvaluationRow, tx: DbOrTx, fw?: FrameworkRow): Promise<EvaluationDto> {
    return toEvaluationDto(row, fw ?? await frameworkOf(row, tx), await repo.answersOf([row.id], tx), await repo.selfAnswersOf([row.id], tx));
  }

  const duplicate = (year: number, code: string) => conflict(`This agency already has an evaluation for ${year} with framework ${code}`);
  const assertDraft = (row: EvaluationRow) => {
    if (row.status === 'final') throw conflict('The evaluation is final and can no longer change');
  };

  /** Answers checked against the framework: a 400 naming each bad entry, and nothing is written. */
  function validate(fw: FrameworkRow, answers: ReadonlyArray<{ criterionId: string; answer: string }>) {
    const criteria = new Map(fw.definition.components.flatMap((c) => c.subComponents.flatMap((s) => s.criteria)).map((cr) => [cr.id, cr]));
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    answers.forEach((a, i) => {
      const criterion = criteria.get(a.criterionId);
      if (!criterion) errors.push({ path: `answers.${i}.criterionId`, message: `criterion ${a.criterionId} is not in framework ${fw.code}` });
      else if (seen.has(a.criterionId)) errors.push({ path: `answers.${i}.criterionId`, message: `criterion ${a.criterionId} is answered twice in this request` });
      else if (!isValidAnswer(criterion.scale, a.answer)) {
        errors.push({ path: `answers.${i}.answer`, message: `criterion ${a.criterionId} (scale ${criterion.scale}) takes ${SCALE_ANSWERS[criterion.scale].join(', ')}, not ${JSON.stringify(a.answer)}` });
      }
      seen.add(a.criterionId);
    });
    if (errors.length) throw badRequest(`Answers refused, nothing was written: ${errors.map((e) => e.message).join('; ')}`, errors);
  }

  /** The unit of work of an answer write: the draft evaluation, locked, in the caller's scope. */
  async function openDraft(w: WriteUnit, id: string, ifMatch: string | undefined) {
    const row = await load(w.actor, id, w.tx, true);
    await w.agency(row.agencyId); // scope and the writers' share lock on the agency
    const fw = await frameworkOf(row, w.tx);
    const before = await dto(row, w.tx, fw);
    assertIfMatch(ifMatch, before);
    assertDraft(row);
    return { row, fw, before };
  }

  /** Upserts one side's answers (all or nothing) and audits the change of that side's score. */
  async function putSide<A extends { criterionId: string; answer: string; note?: string | null; evidence?: Evidence }>(
    actor: Actor, id: string, answers: A[], ifMatch: string | undefined, side: Side,
  ): Promise<EvaluationDto> {
    return gate.run(actor, async (w) => {
      const { row, fw, before } = await openDraft(w, id, ifMatch);
      validate(fw, answers);
      const current = side === 'self' ? before.selfAnswers : before.answers;
      const previous = new Map<string, { answer: string; note: string | null; evidence?: Evidence }>(current.map((a) => [a.criterionId, a]));
      // An omitted note (or evidence list) keeps what is recorded; null (or []) clears it.
      const rows = answers.map((a) => ({
        criterionId: a.criterionId,
        answer: a.answer,
        note: a.note === undefined ? (previous.get(a.criterionId)?.note ?? null) : a.note,
        evidence: a.evidence ?? previous.get(a.criterionId)?.evidence ?? [],
      }));
      if (side === 'self') await repo.upsertSelfAnswers(row.id, rows, actor.clientId, w.tx);
      else await repo.upsertAnswers(row.id, rows.map(({ evidence: _e, ...r }) => r), actor.clientId, w.tx);
      const after = await dto(await repo.update(row.id, {}, w.tx), w.tx, fw);
      const figures = (d: EvaluationDto) => (side === 'self' ? { selfTotal: d.selfTotal, selfGrade: d.selfGrade } : { total: d.total, grade: d.grade });
      await w.audit({
        action: side === 'self' ? 'evaluation.self_answers' : 'evaluation.answers', entityType: 'evaluation', entityId: row.id, agencyId: row.agencyId,
        before: { ...figures(before), answers: rows.map((r) => ({ criterionId: r.criterionId, ...(previous.get(r.criterionId) ?? { answer: null, note: null }) })) },
        after: { ...figures(after), answers: side === 'self' ? rows : rows.map(({ evidence: _e, ...r }) => r) },
      });
      return after;
    });
  }

  return {
    load,

    async get(actor: Actor, id: string): Promise<EvaluationDto> {
      return dto(await load(actor, id), db);
    },

    async answers(actor: Actor, id: string) {
      const row = await load(actor, id);
      return answerSheet(row, await frameworkOf(row, db), await repo.answersOf([row.id]), await repo.selfAnswersOf([row.id]));
    },

    async list(actor: Actor, agencyId: string, q: { year?: number; cursor?: string; limit: number }) {
      await agencies.getVisible(actor, agencyId);
      const rows = await repo.listByAgency(agencyId, { year: q.year, afterId: decodeIdCursor(q.cursor), limit: q.limit });
      const page = rows.slice(0, q.limit);
      const ids = page.map((r) => r.id);
      const [answers, selfAnswers] = [await repo.answersOf(ids), await repo.selfAnswersOf(ids)];
      const fws = new Map<string, FrameworkRow>();
      for (const r of page) if (!fws.has(r.frameworkId)) fws.set(r.frameworkId, await frameworkOf(r, db));
      return pageOf(rows, q.limit, (r) => r.id, (r) => toEvaluationDto(r, fws.get(r.frameworkId)!,
        answers.filter((a) => a.evaluationId === r.id), selfAnswers.filter((a) => a.evaluationId === r.id)));
    },

    async create(actor: Actor, agencyId: string, body: { year: number; frameworkId: string }): Promise<EvaluationDto> {
      let code = body.frameworkId;
      try {
        return await gate.run(actor, async (w) => {
          await w.agency(agencyId);
          // A share lock keeps the framework from being changed while an evaluation starts using it.
          const fw = await frameworks.findByRef(body.frameworkId, w.tx, 'share');
          if (!fw) throw badRequest(`No evaluation framework ${body.frameworkId}`, [{ path: 'frameworkId', message: 'unknown framework' }]);
          code = fw.code;
          if (await repo.findByKey(agencyId, body.year, fw.id, w.tx)) throw duplicate(body.year, fw.code);
          const row = await repo.insert({ agencyId, year: body.year, frameworkId: fw.id, createdBy: actor.clientId }, w.tx);
          const out = toEvaluationDto(row, fw, [], []);
          await w.audit({ action: 'evaluation.create', entityType: 'evaluation', entityId: row.id, agencyId, after: { ...out, answers: undefined, selfAnswers: undefined } });
          return out;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicate(body.year, code);
        throw err;
      }
    },

    /** The evaluator's answers (nilai evaluator). */
    putAnswers: (actor: Actor, id: string, body: AnswersBody, ifMatch: string | undefined) => putSide(actor, id, body.answers, ifMatch, 'evaluator'),

    /** The agency's own answers with evidence (nilai mandiri). */
    putSelfAnswers: (actor: Actor, id: string, body: SelfAnswersBody, ifMatch: string | undefined) => putSide(actor, id, body.answers, ifMatch, 'self'),

    async finalize(actor: Actor, id: string, ifMatch?: string): Promise<EvaluationDto> {
      return gate.run(actor, async (w) => {
        const { row, fw } = await openDraft(w, id, ifMatch);
        const updated = await repo.update(row.id, { status: 'final', finalizedAt: new Date(), finalizedBy: actor.clientId }, w.tx);
        const out = await dto(updated, w.tx, fw);
        await w.audit({
          action: 'evaluation.finalize', entityType: 'evaluation', entityId: row.id, agencyId: row.agencyId,
          before: { status: row.status }, after: { status: out.status, total: out.total, grade: out.grade, selfTotal: out.selfTotal, selfGrade: out.selfGrade, finalizedAt: out.finalizedAt },
        });
        return out;
      });
    },
  };
}
