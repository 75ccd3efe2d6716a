/**
 * Publication (DOMAIN.md "Publication"): the latest submitted LKjIP of an agency-year, for anyone.
 * No actor: nothing here depends on who asks, and only submitted versions exist here.
 */
import type { Db } from '../../db/client.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { notFound } from '../../http/problem.js';
import type { ReportDto } from '../reports/schemas.js';
import { publicRepository as repo, type PublishedMeta } from './repository.js';

type Cursor = [number, string];
const isCursor = (v: unknown): v is Cursor => Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string';

export function publicService(db: Db) {
  return {
    async list(q: { year?: number; agencyCode?: string; cursor?: string; limit: number }) {
      const after = decodeCursor(q.cursor, isCursor);
      const rows = await repo.listLatest(db, { year: q.year, agencyCode: q.agencyCode, after: after && { year: after[0], code: after[1] }, limit: q.limit });
      return pageOf(rows, q.limit, (r: PublishedMeta) => [r.year, r.agencyCode]);
    },

    /** A draft, a year never submitted and an unknown agency code are the same 404. */
    async get(agencyCode: string, year: number) {
      const p = await repo.latest(db, agencyCode, year);
      if (!p) throw notFound(`Published report of ${agencyCode} for ${year}`);
      return {
        meta: p,
        dto: { agencyCode: p.agencyCode, agencyName: p.agencyName, year: p.year, version: p.version, digest: p.digest, submittedAt: p.submittedAt, jws: p.jws, report: p.snapshot as ReportDto },
      };
    },
  };
}
