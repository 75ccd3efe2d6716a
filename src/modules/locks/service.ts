import type { Db } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { notFound } from '../../http/problem.js';
import { PERIOD_REGEX } from '../../domain/period.js';
import { agencyService } from '../agencies/service.js';
import { lockRepository, type LockRow } from './repository.js';

export type LockDto = { agencyId: string; period: string; reason: string | null; lockedBy: string; lockedAt: string };

export const toLockDto = (r: LockRow): LockDto => ({
  agencyId: r.agencyId, period: r.period, reason: r.reason, lockedBy: r.lockedBy, lockedAt: r.lockedAt.toISOString(),
});

const entityId = (agencyId: string, period: string) => `${agencyId}/${period}`;

/** Period locks: placed and removed through the gate's FOR UPDATE side of the lock protocol, so a
 * lock waits for the writes in flight and every later write sees it. */
export function lockService(db: Db) {
  const gate = writeGate(db);
  const agencies = agencyService(db);

  return {
    async lock(actor: Actor, agencyId: string, period: string, reason: string | null): Promise<{ dto: LockDto; created: boolean }> {
      return gate.run(actor, async (w) => {
        await w.lockAgency(agencyId);
        const row = await lockRepository.lock(w.tx, { agencyId, period, reason, lockedBy: actor.clientId });
        if (!row) return { dto: toLockDto((await lockRepository.find(w.tx, agencyId, period))!), created: false };
        const dto = toLockDto(row);
        await w.audit({ action: 'lock.create', entityType: 'period_lock', entityId: entityId(agencyId, period), agencyId, after: dto });
        return { dto, created: true };
      });
    },

    async unlock(actor: Actor, agencyId: string, period: string, ifMatch: string | undefined): Promise<void> {
      await gate.run(actor, async (w) => {
        await w.lockAgency(agencyId);
        const current = await lockRepository.find(w.tx, agencyId, period);
        if (!current) throw notFound('Lock');
        assertIfMatch(ifMatch, toLockDto(current));
        const row = await lockRepository.unlock(w.tx, agencyId, period);
        if (!row) throw notFound('Lock');
        await w.audit({ action: 'lock.delete', entityType: 'period_lock', entityId: entityId(agencyId, period), agencyId, before: toLockDto(row) });
      });
    },

    async list(actor: Actor, agencyId: string, q: { cursor?: string; limit: number }) {
      await agencies.getVisible(actor, agencyId);
      const after = decodeCursor(q.cursor, (v): v is string => typeof v === 'string' && PERIOD_REGEX.test(v));
      const rows = await lockRepository.list(db, agencyId, after, q.limit);
      return pageOf(rows, q.limit, (l) => l.period, toLockDto);
    },

    /** The lock that makes `period` locked (its own, or its year's); 404 when open. */
    async covering(actor: Actor, agencyId: string, period: string): Promise<LockDto> {
      await agencies.getVisible(actor, agencyId);
      const row = await lockRepository.findCovering(db, agencyId, period);
      if (!row) throw notFound('Lock');
      return toLockDto(row);
    },
  };
}
