import { Readable } from 'node:stream';
import type { Db, DbOrTx } from '../../db/client.js';
import { agencies } from '../../db/schema/index.js';
import { assertInScope, scopeFilter, type Actor } from '../../http/access.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { assembleReport, assembleReports, indexRows } from './compute.js';
import { reportRepository, type ReportAgency, type ReportRows } from './repository.js';
import type { ReportDto } from './schemas.js';

/** Agencies per batch of the NDJSON stream: each batch costs the same handful of queries. Small
 * batches keep what is alive at each young-generation collection small, so little is promoted:
 * against 50, the server's peak RSS over a 2,000-agency pull fell by about 100 MB at the same
 * agencies/s (docs/BENCHMARKS.md). */
export const STREAM_BATCH = 10;

export type ListReportsQuery = { kind?: string; parentId?: string; cursor?: string; limit: number };

/** `readDb`: where region-wide pulls (the paged list and the NDJSON stream) read; a replica may
 * lag the primary by a moment, which a pull of a whole region tolerates. */
export function reportService(db: Db, readDb: Db = db) {
  const repo = reportRepository(db);
  const pulls = reportRepository(readDb);

  /** The agency the caller may see; outside the scope it does not exist (404). */
  async function visibleAgency(actor: Actor, agencyId: string, tx: DbOrTx = db): Promise<ReportAgency> {
    const agency = await repo.findAgency(agencyId, tx);
    assertInScope(actor, agency?.path, 'Agency');
    return agency!;
  }

  /** The report computed now, from one consistent-enough set of reads (see repository.load). */
  async function compute(agency: ReportAgency, year: number, generatedAt = new Date(), tx: DbOrTx = db): Promise<ReportDto> {
    const rows = await repo.load([agency.id], year, tx);
    return assembleReport(indexRows(rows), agency, year, generatedAt.toISOString());
  }

  async function reportsOf(batch: ReportAgency[], year: number): Promise<ReportDto[]> {
    if (!batch.length) return [];
    const rows = await pulls.load(batch.map((a) => a.id), year);
    return assembleReports(batch, rows, year, new Date().toISOString());
  }

  return {
    visibleAgency,
    compute,

    async get(actor: Actor, agencyId: string, year: number): Promise<ReportDto> {
      return compute(await visibleAgency(actor, agencyId), year);
    },

    /** One page of full reports of the agencies in scope, ordered by agency id. */
    async list(actor: Actor, year: number, q: ListReportsQuery) {
      const page = await pulls.listAgencies({
        scope: scopeFilter(actor, agencies.path), kind: q.kind, parentId: q.parentId, afterId: decodeIdCursor(q.cursor), limit: q.limit,
      });
      const { data, nextCursor } = pageOf(page, q.limit, (a) => a.id);
      return { data: await reportsOf(data, year), nextCursor };
    },

    /**
     * Every report in scope as NDJSON. A pull stream: batches of agencies are read by keyset, one
     * batch ahead of what the client has consumed (so the database works while this batch is
     * assembled), so memory stays flat for any number of agencies. `cursor` (an agency page
     * cursor) resumes after that agency.
     */
    stream(actor: Actor, year: number, q: Omit<ListReportsQuery, 'limit'>): Readable {
      const scope = scopeFilter(actor, agencies.path);
      const first = decodeIdCursor(q.cursor);
      // One batch: the next keyset page of agencies, then their data in set-based queries.
      type Batch = { batch: ReportAgency[]; rows: ReportRows; more: boolean };
      const fetchBatch = async (afterId: string | undefined): Promise<Batch> => {
        const page = await pulls.listAgencies({ scope, kind: q.kind, parentId: q.parentId, afterId, limit: STREAM_BATCH });
        const batch = page.slice(0, STREAM_BATCH);
        const rows = await pulls.load(batch.map((a) => a.id), year);
        return { batch, rows, more: page.length > STREAM_BATCH };
      };
      async function* lines() {
        let next: Promise<Batch> | null = fetchBatch(first);
        while (next) {
          const { batch, rows, more }: Batch = await next;
          // Read the following batch while this one is assembled and written: at most two in memory.
          next = more ? fetchBatch(batch[batch.length - 1].id) : null;
          next?.catch(() => {}); // surfaced when awaited; avoids an unhandled rejection if the client left
          const ix = indexRows(rows);
          const generatedAt = new Date().toISOString();
          // One chunk per batch of agencies: fewer, larger writes to the socket than one per report.
          let chunk = '';
          for (const agency of batch) chunk += `${JSON.stringify(assembleReport(ix, agency, year, generatedAt))}\n`;
          yield chunk;
        }
      }
      return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
    },
  };
}
