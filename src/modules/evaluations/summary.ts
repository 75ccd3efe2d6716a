/** Grade history of an agency and the region summary of a year's final evaluations. */
import type { Db } from '../../db/client.js';
import { GRADES, meanTotal, type Grade } from '../../domain/evaluation.js';
import type { Actor } from '../../http/access.js';
import { agencyService } from '../agencies/service.js';
import { frameworkRepository } from '../frameworks/repository.js';
import { regionFilter } from '../region/filter.js';
import { scoresOf } from './dto.js';
import { evaluationRepository, type AnswerRow, type SelfAnswerRow } from './repository.js';

const collator = new Intl.Collator('en', { numeric: true });

function groupBy<T extends { evaluationId: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.evaluationId);
    if (list) list.push(r);
    else m.set(r.evaluationId, [r]);
  }
  return m;
}

export function evaluationSummaryService(db: Db) {
  const repo = evaluationRepository(db);
  const frameworks = frameworkRepository(db);
  const agencies = agencyService(db);

  /** Scores of many evaluations from three set-based reads (evaluations given, answers, frameworks). */
  async function scoreAll(rows: ReadonlyArray<{ id: string; frameworkId: string }>) {
    const ids = rows.map((r) => r.id);
    const [answers, selfAnswers, fws] = await Promise.all([
      repo.answersOf(ids), repo.selfAnswersOf(ids), frameworks.findByIds(rows.map((r) => r.frameworkId)),
    ]);
    const byId = new Map(fws.map((f) => [f.id, f]));
    const a = groupBy<AnswerRow>(answers);
    const s = groupBy<SelfAnswerRow>(selfAnswers);
    return rows.map((r) => {
      const fw = byId.get(r.frameworkId)!;
      return { framework: fw, ...scoresOf(fw, a.get(r.id) ?? [], s.get(r.id) ?? []) };
    });
  }

  return {
    /** Every evaluation of the agency, oldest year first, with both totals. */
    async history(actor: Actor, agencyId: string) {
      await agencies.getVisible(actor, agencyId);
      const rows = await repo.historyOf(agencyId);
      const scored = await scoreAll(rows);
      return {
        data: rows.map((r, i) => ({
          year: r.year,
          evaluationId: r.id,
          frameworkCode: scored[i].framework.code,
          status: r.status,
          total: Number(scored[i].evaluator.total),
          grade: scored[i].evaluator.grade,
          selfTotal: Number(scored[i].self.total),
          selfGrade: scored[i].self.grade,
        })),
      };
    },

    /** Final evaluations of a year in the caller's scope (and below `parentId`): counts by grade,
     * mean total and the ranking. A constant number of queries for any number of agencies. */
    async summary(actor: Actor, q: { year: number; parentId?: string }) {
      if (q.parentId) await agencies.getVisible(actor, q.parentId);
      const finals = await repo.finalOfYear(q.year, regionFilter(actor, q.parentId));
      const scored = await scoreAll(finals.map((f) => f.row));
      const byGrade = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
      const ranking = finals.map((f, i) => {
        const { total, grade } = scored[i].evaluator;
        byGrade[grade] += 1;
        return { agencyId: f.row.agencyId, code: f.code, name: f.name, total, grade };
      });
      const mean = meanTotal(ranking.map((r) => r.total));
      ranking.sort((x, y) => Number(y.total) - Number(x.total) || collator.compare(x.code, y.code));
      return {
        year: q.year,
        agencies: ranking.length,
        byGrade,
        meanTotal: mean === null ? null : Number(mean),
        ranking: ranking.map((r) => ({ ...r, total: Number(r.total) })),
      };
    },
  };
}
