import type { Db } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { badRequest, notFound } from '../../http/problem.js';
import { visibleIndicator } from '../indicators/repository.js';
import { analysisRepository as repo, type AnalysisRow } from './repository.js';
import type { AnalysisDto, AnalysisInput } from './schemas.js';

export const toAnalysisDto = (r: AnalysisRow): AnalysisDto => ({
  indicatorId: r.indicatorId, year: r.year, causes: r.causes, supportingFactors: r.supportingFactors,
  inhibitingFactors: r.inhibitingFactors, solutions: r.solutions, updatedAt: r.updatedAt.toISOString(), updatedBy: r.updatedBy,
});

const textsOf = (b: AnalysisInput) => ({
  causes: b.causes ?? '', supportingFactors: b.supportingFactors ?? '', inhibitingFactors: b.inhibitingFactors ?? '', solutions: b.solutions ?? '',
});

/** Analisis capaian (DOMAIN.md "Performance analysis"): one per indicator and year. */
export function analysisService(db: Db) {
  const gate = writeGate(db);
  return {
    async get(actor: Actor, indicatorId: string, year: number): Promise<AnalysisDto> {
      await visibleIndicator(db, actor, indicatorId);
      const row = await repo.find(db, indicatorId, year);
      if (!row) throw notFound(`Analysis of ${year}`);
      return toAnalysisDto(row);
    },

    /** Sets the year's analysis (all four texts; a missing one is empty). `created` tells 201 from 200. */
    async put(actor: Actor, ifMatch: string | undefined, indicatorId: string, year: number, body: AnalysisInput): Promise<{ dto: AnalysisDto; created: boolean }> {
      return gate.run(actor, async (w) => {
        const { indicator, startYear, endYear, agencyCode } = await visibleIndicator(w.tx, actor, indicatorId);
        if (year < startYear || year > endYear) {
          throw badRequest(`The year ${year} is outside the plan's years ${startYear}-${endYear}`, [{ path: 'year', message: 'outside the plan' }]);
        }
        await w.assertOpen(indicator.agencyId, [year], agencyCode);
        const existing = await repo.find(w.tx, indicatorId, year, true);
        const before = existing ? toAnalysisDto(existing) : null;
        assertIfMatch(ifMatch, before);
        const texts = textsOf(body);
        if (existing && Object.entries(texts).every(([k, v]) => existing[k as keyof typeof texts] === v)) return { dto: before!, created: false };
        const dto = toAnalysisDto(await repo.upsert(w.tx, indicatorId, year, texts, actor.clientId));
        await w.audit({ action: 'analysis.set', entityType: 'analysis', entityId: `${indicatorId}/${year}`, agencyId: indicator.agencyId, before, after: dto });
        return { dto, created: !existing };
      }, { retry: true });
    },
  };
}
