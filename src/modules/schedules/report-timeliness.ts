/** Whether an LKjIP was submitted on time (DOMAIN.md: its first version by the LKjIP due date). */
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { agencies, reportSubmissions } from '../../db/schema/index.js';
import { isOnTime, reportTrackOf, type ReportTrack } from '../../domain/schedule.js';
import { scheduleRepository } from './repository.js';
import { defaultSchedule } from '../../domain/schedule.js';

export type ReportTimeliness = { track: ReportTrack; dueDate: string; firstSubmittedAt: string | null; onTime: boolean | null };

/** The agency's LKjIP due date for the year (its track from the kinds on its path) and whether the
 * first submitted version met it (null while nothing is submitted). Three small queries. */
export async function reportTimeliness(db: DbOrTx, agency: { id: string; path: string[] }, year: number): Promise<ReportTimeliness> {
  const kinds = await queryRows<{ id: string; kind: string }>(db, sql`
    SELECT id, kind FROM ${agencies} WHERE id = ANY(${sql.param(agency.path)}::uuid[])`);
  const kindOf = new Map(kinds.map((k) => [k.id, k.kind]));
  const track = reportTrackOf(agency.path.map((id) => kindOf.get(id) ?? ''));
  const row = await scheduleRepository(db).find(year, db);
  const dueDate = row ? (track === 'central' ? row.reportDueCentral : row.reportDueRegional) : defaultSchedule(year).reportDue[track];
  const [first] = await db.select({ at: reportSubmissions.submittedAt }).from(reportSubmissions)
    .where(and(eq(reportSubmissions.agencyId, agency.id), eq(reportSubmissions.year, year), eq(reportSubmissions.version, 1)));
  return { track, dueDate, firstSubmittedAt: first?.at.toISOString() ?? null, onTime: first ? isOnTime(first.at, dueDate) : null };
}
