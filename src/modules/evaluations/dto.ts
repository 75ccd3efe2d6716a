import { scoreEvaluation } from '../../domain/evaluation.js';
import type { FrameworkRow } from '../frameworks/repository.js';
import type { AnswerRow, EvaluationRow, SelfAnswerRow } from './repository.js';
import type { EvaluationDto } from './schemas.js';

type Definition = FrameworkRow['definition'];

/** Criterion ids in the order of the LKE sheet. */
export const criterionOrder = (def: Definition) =>
  new Map(def.components.flatMap((c) => c.subComponents.flatMap((s) => s.criteria.map((cr) => cr.id))).map((id, i) => [id, i]));

const inOrder = <T extends { criterionId: string }>(order: Map<string, number>, rows: readonly T[]) =>
  [...rows].sort((a, b) => (order.get(a.criterionId) ?? Infinity) - (order.get(b.criterionId) ?? Infinity));

/** Both scores of an evaluation: the evaluator's and the self-assessment, by the same function. */
export function scoresOf(framework: FrameworkRow, answers: readonly AnswerRow[], selfAnswers: readonly SelfAnswerRow[]) {
  const def = framework.definition;
  return {
    evaluator: scoreEvaluation(def, new Map(answers.map((a) => [a.criterionId, a.answer]))),
    self: scoreEvaluation(def, new Map(selfAnswers.map((a) => [a.criterionId, a.answer]))),
  };
}

/** The evaluation with its scores, computed now from the stored answers (DOMAIN.md "Evaluation",
 * "Self-assessment and evaluator score"). */
export function toEvaluationDto(row: EvaluationRow, framework: FrameworkRow, answers: readonly AnswerRow[], selfAnswers: readonly SelfAnswerRow[]): EvaluationDto {
  const def = framework.definition;
  const { evaluator: score, self } = scoresOf(framework, answers, selfAnswers);
  const order = criterionOrder(def);
  return {
    id: row.id,
    agencyId: row.agencyId,
    year: row.year,
    frameworkId: row.frameworkId,
    frameworkCode: framework.code,
    status: row.status,
    total: Number(score.total),
    grade: score.grade,
    selfTotal: Number(self.total),
    selfGrade: self.grade,
    components: score.components.map((c, i) => ({
      code: c.code,
      weight: Number(def.components[i].weight),
      score: Number(c.score),
      selfScore: Number(self.components[i].score),
      subComponents: c.subComponents.map((s, j) => ({
        code: s.code,
        weight: Number(def.components[i].subComponents[j].weight),
        score: Number(s.score),
        selfScore: Number(self.components[i].subComponents[j].score),
        criteria: s.criteria,
        answered: s.answered,
        selfAnswered: self.components[i].subComponents[j].answered,
      })),
    })),
    answers: inOrder(order, answers).map((a) => ({
      criterionId: a.criterionId, answer: a.answer, note: a.note, updatedAt: a.updatedAt.toISOString(), updatedBy: a.updatedBy,
    })),
    selfAnswers: inOrder(order, selfAnswers).map((a) => ({
      criterionId: a.criterionId, answer: a.answer, note: a.note, evidence: a.evidence, updatedAt: a.updatedAt.toISOString(), updatedBy: a.updatedBy,
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finalizedAt: row.finalizedAt?.toISOString() ?? null,
    finalizedBy: row.finalizedBy,
  };
}

/** Both answers per criterion, every criterion listed in sheet order. */
export function answerSheet(row: EvaluationRow, framework: FrameworkRow, answers: readonly AnswerRow[], selfAnswers: readonly SelfAnswerRow[]) {
  const ev = new Map(answers.map((a) => [a.criterionId, a]));
  const own = new Map(selfAnswers.map((a) => [a.criterionId, a]));
  return {
    evaluationId: row.id,
    status: row.status,
    data: framework.definition.components.flatMap((c) => c.subComponents.flatMap((s) => s.criteria.map((cr) => {
      const e = ev.get(cr.id);
      const o = own.get(cr.id);
      return {
        criterionId: cr.id,
        code: cr.code,
        componentCode: c.code,
        subComponentCode: s.code,
        scale: cr.scale,
        text: cr.text,
        self: o ? { answer: o.answer, note: o.note, evidence: o.evidence, updatedAt: o.updatedAt.toISOString(), updatedBy: o.updatedBy } : null,
        evaluator: e ? { answer: e.answer, note: e.note, updatedAt: e.updatedAt.toISOString(), updatedBy: e.updatedBy } : null,
      };
    }))),
  };
}
