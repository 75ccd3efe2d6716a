/**
 * Report submission: freezes an LKjIP as an immutable, versioned snapshot with a SHA-256 digest and
 * a compact JWS signed with the service's key, and locks the agency's year (DOMAIN.md "Report").
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, max, sql } from 'drizzle-orm';
import { CompactSign } from 'jose';
import type { Db, DbOrTx } from '../../db/client.js';
import { periodLocks, reportSubmissions } from '../../db/schema/index.js';
import type { Actor } from '../../http/access.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { notFound, periodLocked } from '../../http/problem.js';
import type { KeyRing } from '../auth/keys.js';
import { writeGate } from '../../db/gate.js';
import { reportTimeliness } from '../schedules/report-timeliness.js';
import type { ReportDto } from './schemas.js';
import type { reportService } from './service.js';

/**
 * Canonical JSON of a JSON value: object keys sorted by UTF-16 code units (JavaScript's default
 * sort, which is RFC 8785's order), recursively; no whitespace; strings and numbers as
 * JSON.stringify writes them (RFC 8785 number form); `undefined` members left out. The digest and
 * the JWS payload are this text's UTF-8 bytes, so anyone can recompute the digest from the snapshot.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in canonical JSON');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value).sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

type SubmissionRow = typeof reportSubmissions.$inferSelect;
const toMeta = (r: SubmissionRow) => ({
  agencyId: r.agencyId, year: r.year, version: r.version, digest: r.digest,
  submittedAt: r.submittedAt.toISOString(), submittedBy: r.submittedBy,
});

/**
 * Whether the year's existing lock was placed by hand after the last submission (or with none yet):
 * then its data are frozen already and submitting them is what the lock prepared for, so the
 * operator needs no admin. A lock placed by a submission (or older than the last one) means a new
 * version needs an admin unlock first. The lock row is locked so two submissions serialise here.
 */
async function lockedByHandSinceLastSubmission(tx: DbOrTx, agencyId: string, year: number): Promise<boolean> {
  const [lock] = await tx.select({ lockedAt: periodLocks.lockedAt }).from(periodLocks)
    .where(and(eq(periodLocks.agencyId, agencyId), eq(periodLocks.period, String(year)))).for('update');
  if (!lock) return false;
  const [last] = await tx.select({ at: max(reportSubmissions.submittedAt) }).from(reportSubmissions)
    .where(and(eq(reportSubmissions.agencyId, agencyId), eq(reportSubmissions.year, year)));
  return !last?.at || last.at < lock.lockedAt;
}

export function submissionService(db: Db, keys: () => KeyRing, reports: ReturnType<typeof reportService>) {
  const gate = writeGate(db);
  return {
    /**
     * In one transaction: lock the year (insert-first, so two concurrent submissions cannot both
     * pass; an existing lock is 409 period-locked unless it was placed by hand after the last
     * submission), compute the report, sign it, store it, audit.
     */
    async submit(actor: Actor, agencyId: string, year: number) {
      const period = String(year);
      return gate.run(actor, async (w) => {
        const { tx } = w;
        // The lock protocol's FOR UPDATE side: waits for the writes in flight on the agency, and
        // every write that starts later waits for this commit and then sees the lock. So the
        // snapshot below is exactly what the locked year holds.
        await w.lockAgency(agencyId);
        const agency = await reports.visibleAgency(actor, agencyId, tx);
        const submittedAt = new Date();
        const locked = await tx.insert(periodLocks)
          .values({ agencyId, period, reason: `LKjIP ${year} submitted`, lockedBy: actor.clientId, lockedAt: submittedAt })
          .onConflictDoNothing().returning();
        if (!locked.length && !(await lockedByHandSinceLastSubmission(tx, agencyId, year))) throw periodLocked(period, agency.code);

        const report = await reports.compute(agency, year, submittedAt, tx);
        const canonical = canonicalJson(report);
        const digest = sha256Hex(canonical);
        const key = keys().current;
        const jws = await new CompactSign(new TextEncoder().encode(canonical))
          .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JOSE', cty: 'application/json' })
          .sign(key.privateKey);

        const [{ next }] = await tx.select({ next: sql<number>`coalesce(max(${reportSubmissions.version}), 0)::int + 1` })
          .from(reportSubmissions).where(and(eq(reportSubmissions.agencyId, agencyId), eq(reportSubmissions.year, year)));
        const [row] = await tx.insert(reportSubmissions).values({
          agencyId, year, version: Number(next), digest, jws, snapshot: report, submittedAt, submittedBy: actor.clientId,
        }).returning();
        const meta = toMeta(row);
        await w.audit([
          { action: 'report.submit', entityType: 'report_submission', entityId: `${agencyId}/${year}/${row.version}`, agencyId, after: meta },
          ...locked.map((l) => ({
            action: 'lock.create', entityType: 'period_lock', entityId: `${agencyId}/${period}`, agencyId,
            after: { agencyId, period, reason: l.reason, lockedBy: l.lockedBy, lockedAt: l.lockedAt.toISOString() },
          })),
        ]);
        return { ...meta, jws };
      });
    },

    /** Versions of an agency-year, oldest first, metadata only; the cursor is the last version seen. */
    async list(actor: Actor, agencyId: string, year: number, q: { cursor?: string; limit: number }) {
      const agency = await reports.visibleAgency(actor, agencyId);
      // Whether the LKjIP was on time: its first version by the due date (schedules module).
      const { onTime, dueDate } = await reportTimeliness(db, agency, year);
      const after = decodeCursor(q.cursor, (v): v is number => Number.isInteger(v));
      const rows = await db.select().from(reportSubmissions)
        .where(and(eq(reportSubmissions.agencyId, agencyId), eq(reportSubmissions.year, year), after === undefined ? undefined : gt(reportSubmissions.version, after)))
        .orderBy(asc(reportSubmissions.version)).limit(q.limit + 1);
      return pageOf(rows, q.limit, (r) => r.version, (r) => ({ ...toMeta(r), onTime: onTime === true, dueDate }));
    },

    /** One version with its frozen report and JWS. */
    async get(actor: Actor, agencyId: string, year: number, version: number) {
      await reports.visibleAgency(actor, agencyId);
      const [row] = await db.select().from(reportSubmissions)
        .where(and(eq(reportSubmissions.agencyId, agencyId), eq(reportSubmissions.year, year), eq(reportSubmissions.version, version)));
      if (!row) throw notFound('Report submission');
      return { ...toMeta(row), jws: row.jws, report: row.snapshot as ReportDto };
    },
  };
}
