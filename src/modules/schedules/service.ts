import type { Db, DbOrTx } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import { defaultSchedule, type Schedule } from '../../domain/schedule.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { scheduleRepository, type ScheduleRow } from './repository.js';
import type { ScheduleBody, ScheduleDto } from './schemas.js';

const toSchedule = (r: ScheduleRow): Schedule => ({
  measurementDue: { Q1: r.q1Due, Q2: r.q2Due, Q3: r.q3Due, Q4: r.q4Due },
  reportDue: { regional: r.reportDueRegional, central: r.reportDueCentral },
});

function toDto(year: number, row: ScheduleRow | null): ScheduleDto {
  if (!row) return { year, ...defaultSchedule(year), isDefault: true, updatedAt: null, updatedBy: null };
  return { year, ...toSchedule(row), isDefault: false, updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy };
}

export function scheduleService(db: Db) {
  const repo = scheduleRepository(db);
  const gate = writeGate(db);

  /** The schedule of a year: the one set, else the defaults. */
  async function scheduleOf(year: number, tx: DbOrTx = db): Promise<Schedule> {
    const row = await repo.find(year, tx);
    return row ? toSchedule(row) : defaultSchedule(year);
  }

  return {
    scheduleOf,

    async get(year: number): Promise<ScheduleDto> {
      return toDto(year, await repo.find(year));
    },

    /** Sets the whole schedule of a year (admin). Any year may be set, so a region can plan ahead. */
    async put(actor: Actor, year: number, body: ScheduleBody, ifMatch: string | undefined): Promise<ScheduleDto> {
      return gate.run(actor, async (w) => {
        const before = toDto(year, await repo.find(year, w.tx, true));
        assertIfMatch(ifMatch, before);
        const row = await repo.upsert({
          year,
          q1Due: body.measurementDue.Q1, q2Due: body.measurementDue.Q2, q3Due: body.measurementDue.Q3, q4Due: body.measurementDue.Q4,
          reportDueRegional: body.reportDue.regional, reportDueCentral: body.reportDue.central,
          updatedAt: new Date(), updatedBy: actor.clientId,
        }, w.tx);
        const after = toDto(year, row);
        await w.audit({ action: 'schedule.update', entityType: 'schedule', entityId: String(year), agencyId: null, before, after });
        return after;
      }, { retry: true });
    },
  };
}
