/** Region-wide figures for evaluators: reporting completeness and timeliness, achievement ranking. */
import type { Db } from '../../db/client.js';
import { isValidPeriod, periodYear } from '../../domain/period.js';
import { dueDateEnd, measurementDueOf, ratePercent } from '../../domain/schedule.js';
import type { Actor } from '../../http/access.js';
import { badRequest } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { assembleReports } from '../reports/compute.js';
import { reportRepository } from '../reports/repository.js';
import { scheduleService } from '../schedules/service.js';
import { regionFilter } from './filter.js';
import { regionRepository } from './repository.js';

const collator = new Intl.Collator('en', { numeric: true });

export function regionService(db: Db) {
  const repo = regionRepository(db);
  const reports = reportRepository(db);
  const agencies = agencyService(db);
  const schedules = scheduleService(db);

  return {
    /** Completeness and timeliness of every agency of the region for a period: one query for the
     * counts, whatever the number of agencies. */
    async completeness(actor: Actor, year: number, q: { period?: string; parentId?: string }) {
      const period = q.period ?? String(year);
      if (!isValidPeriod(period) || periodYear(period) !== year) {
        throw badRequest(`Period ${period} is not in ${year}`, [{ path: 'period', message: `must be ${year} or ${year}Q1..${year}Q4` }]);
      }
      if (q.parentId) await agencies.getVisible(actor, q.parentId);
      const dueDate = measurementDueOf(await schedules.scheduleOf(year), period);
      const dueEnd = dueDateEnd(dueDate);
      const rows = await repo.completeness(regionFilter(actor, q.parentId), year, period, dueEnd);
      return {
        year,
        period,
        dueDate,
        dueEnd: dueEnd.toISOString(),
        agencies: rows.map((r) => ({
          ...r,
          completeness: num(ratePercent(r.reported, r.expected)),
          timeliness: num(ratePercent(r.onTime, r.expected)),
        })),
      };
    },

    /** Every agency of the region ranked by its report's mean achievement: the region's report data
     * in one set-based load (the report's own queries), assembled by the report's own code. */
    async ranking(actor: Actor, year: number, q: { parentId?: string }) {
      if (q.parentId) await agencies.getVisible(actor, q.parentId);
      const region = await repo.agencies(regionFilter(actor, q.parentId));
      const rows = await reports.load(region.map((a) => a.id), year);
      const data = assembleReports(region, rows, year, new Date().toISOString()).map((r) => ({
        agencyId: r.agency.id,
        code: r.agency.code,
        name: r.agency.name,
        meanAchievement: r.summary.meanAchievement,
        indicators: r.summary.indicators,
        byCategory: r.summary.byCategory,
      }));
      data.sort((a, b) => {
        if (a.meanAchievement === null || b.meanAchievement === null) {
          if (a.meanAchievement !== b.meanAchievement) return a.meanAchievement === null ? 1 : -1;
        } else if (a.meanAchievement !== b.meanAchievement) return b.meanAchievement - a.meanAchievement;
        return collator.compare(a.code, b.code);
      });
      return { data };
    },
  };
}

const num = (s: string | null) => (s === null ? null : Number(s));
