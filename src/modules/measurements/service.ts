import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import { toDecimal } from '../../domain/decimal.js';
import { periodWithinYears } from '../../domain/period.js';
import { assertInScope, type Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { badRequest, notFound } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { writeChunk } from './bulk.js';
import { measurements } from '../../db/schema/index.js';
import {
  agencyMeasurementsWhere, measurementRepository as repo, type IndicatorContext, type ListFilter, type MeasurementRow, type RevisionRow,
} from './repository.js';
import type { MeasurementDto, RevisionDto } from './schemas.js';

type Evidence = Array<{ title: string; url: string }>;
// jsonb reorders keys; rebuild each item so the representation (and its ETag) is stable.
const normEvidence = (e: Evidence | null | undefined): Evidence => (e ?? []).map((x) => ({ title: x.title, url: x.url }));

export const toMeasurementDto = (r: MeasurementRow): MeasurementDto => ({
  indicatorId: r.indicatorId,
  agencyId: r.agencyId,
  period: r.period,
  value: Number(r.value),
  note: r.note,
  evidence: normEvidence(r.evidence),
  status: r.status,
  revision: r.revision,
  verificationComment: r.verificationComment,
  updatedAt: r.updatedAt.toISOString(),
  updatedBy: r.updatedBy,
});

const toRevisionDto = (r: RevisionRow): RevisionDto => ({
  revision: r.revision,
  value: Number(r.value),
  previousValue: r.previousValue === null ? null : Number(r.previousValue),
  status: r.status,
  note: r.note,
  changedAt: r.changedAt.toISOString(),
  changedBy: r.changedBy,
});

/** Audit snapshot: what changed, without timestamps (the writer in bulk.ts builds the same in SQL). */
const auditView = (r: MeasurementRow) => ({
  value: Number(r.value), note: r.note, evidence: normEvidence(r.evidence), status: r.status,
  revision: r.revision, verificationComment: r.verificationComment,
});
const entityId = (indicatorId: string, period: string) => `${indicatorId}/${period}`;

type PutInput = { value: number | string; note?: string | null; evidence?: Evidence };

export function measurementService(db: Db) {
  const agenciesSvc = agencyService(db);
  const gate = writeGate(db);

  async function visibleIndicator(actor: Actor, indicatorId: string, tx: DbOrTx = db): Promise<IndicatorContext> {
    const ctx = await repo.indicatorContext(tx, indicatorId);
    assertInScope(actor, ctx?.agencyPath, 'Indicator');
    return ctx!;
  }

  function assertInPlan(ctx: IndicatorContext, period: string) {
    if (!periodWithinYears(period, ctx.startYear, ctx.endYear)) {
      throw badRequest(`Period ${period} is outside the indicator's plan (${ctx.startYear}-${ctx.endYear})`,
        [{ path: 'period', message: `outside the plan years ${ctx.startYear}-${ctx.endYear}` }]);
    }
  }

  return {
    visibleIndicator,

    /** PUT semantics: value, note and evidence are replaced; an identical PUT changes nothing.
     * Written by the batch's set-based writer (a chunk of one row): same status rule, revisions
     * and audit as a batch row. */
    async put(actor: Actor, ifMatch: string | undefined, indicatorId: string, period: string, input: PutInput) {
      const ctx = await visibleIndicator(actor, indicatorId);
      assertInPlan(ctx, period);
      const value = toDecimal(input.value).toFixed();
      const note = input.note ?? null;
      const evidence = JSON.stringify(normEvidence(input.evidence));
      return gate.run(actor, async (w) => {
        await w.assertOpen(ctx.agencyId, [period]);
        // The row lock makes the writer's snapshot the latest version (If-Match is checked on it).
        const current = await repo.find(w.tx, indicatorId, period, true);
        assertIfMatch(ifMatch, current ? toMeasurementDto(current) : null);
        const [changed] = await writeChunk(w.tx, [{ indicatorId, agencyId: ctx.agencyId, period, value, note, evidence }], actor);
        // Unchanged and no row before: a concurrent first writer stored the same values meanwhile.
        const row = changed || !current ? await repo.find(w.tx, indicatorId, period) : current;
        return { dto: toMeasurementDto(row!), created: changed?.revision === 1 };
      }, { retry: true });
    },

    async get(actor: Actor, indicatorId: string, period: string): Promise<MeasurementDto> {
      await visibleIndicator(actor, indicatorId);
      const row = await repo.find(db, indicatorId, period);
      if (!row) throw notFound('Measurement');
      return toMeasurementDto(row);
    },

    async history(actor: Actor, indicatorId: string, period: string): Promise<{ data: RevisionDto[] }> {
      await visibleIndicator(actor, indicatorId);
      const rows = await repo.history(db, indicatorId, period);
      if (!rows.length) throw notFound('Measurement');
      return { data: rows.map(toRevisionDto) };
    },

    async listForIndicator(actor: Actor, indicatorId: string, q: Omit<ListFilter, 'after'> & { cursor?: string }) {
      await visibleIndicator(actor, indicatorId);
      const rows = await repo.list(db, eq(measurements.indicatorId, indicatorId), { ...q, after: decodeKey(q.cursor) });
      return pageOf(rows, q.limit, (r) => [r.indicatorId, r.period], toMeasurementDto);
    },

    async listForAgency(actor: Actor, agencyId: string, q: Omit<ListFilter, 'after'> & { cursor?: string; includeDescendants: boolean }) {
      await agenciesSvc.getVisible(actor, agencyId);
      const rows = await repo.list(db, agencyMeasurementsWhere(agencyId, q.includeDescendants), { ...q, after: decodeKey(q.cursor) });
      return pageOf(rows, q.limit, (r) => [r.indicatorId, r.period], toMeasurementDto);
    },

    /** Verification (verifikasi) by an operator or admin. It is a revision too: same value, new status. */
    async verify(actor: Actor, indicatorId: string, period: string, input: { decision: 'verified' | 'returned'; comment?: string }) {
      const ctx = await visibleIndicator(actor, indicatorId);
      const comment = input.comment || null;
      if (input.decision === 'returned' && !comment) {
        throw badRequest('Returning a measurement needs a comment saying what to fix', [{ path: 'comment', message: 'required when decision is returned' }]);
      }
      return gate.run(actor, async (w) => {
        const tx = w.tx;
        await w.assertOpen(ctx.agencyId, [period]);
        const current = await repo.find(tx, indicatorId, period, true);
        if (!current) throw notFound('Measurement');
        if (current.status === input.decision && current.verificationComment === comment) return toMeasurementDto(current);
        const row = await repo.update(tx, indicatorId, period, {
          status: input.decision, verificationComment: comment, revision: current.revision + 1, updatedBy: actor.clientId,
        });
        await repo.insertRevision(tx, {
          indicatorId, period, revision: row.revision, value: row.value, previousValue: current.value, status: row.status, note: row.note, changedBy: actor.clientId,
        });
        await w.audit({ action: `measurement.${input.decision === 'verified' ? 'verify' : 'return'}`, entityType: 'measurement', entityId: entityId(indicatorId, period), agencyId: ctx.agencyId, before: auditView(current), after: auditView(row) });
        return toMeasurementDto(row);
      }, { retry: true });
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const decodeKey = (cursor: string | undefined) => decodeCursor(cursor, (v): v is [string, string] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && UUID.test(v[0]) && typeof v[1] === 'string' && v[1].length <= 6);
