/**
 * Lintas sektor (DOMAIN.md "Crosscutting"): the contributing agency proposes that one of its
 * elements contributes to an element of a sibling or other non-ancestor agency; the receiving
 * agency accepts or rejects it (with a reason). Accepted links join the cascade and the plan tree.
 */
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { writeGate } from '../../db/gate.js';
import { inScope, type Actor } from '../../http/access.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { badRequest, conflict, forbidden, notFound } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { visibleElement } from '../plans/repository.js';
import { crosscuttingRepository as repo, type LinkRow } from './repository.js';
import type { CrosscuttingDto } from './schemas.js';

export const toLinkDto = (r: LinkRow): CrosscuttingDto => ({
  id: r.id, fromElementId: r.fromElementId, toElementId: r.toElementId, fromAgencyId: r.fromAgencyId, toAgencyId: r.toAgencyId,
  status: r.status, note: r.note, reason: r.reason, createdBy: r.createdBy, createdAt: r.createdAt.toISOString(),
  decidedBy: r.decidedBy, decidedAt: r.decidedAt?.toISOString() ?? null,
});

// uuid[] from a raw subselect: an array from node-postgres, possibly the text form `{a,b}` elsewhere.
const asPath = (p: unknown): string[] => (Array.isArray(p) ? p : String(p ?? '').replace(/[{}]/g, '').split(',').filter(Boolean));

const duplicate = () => conflict('This element already contributes (or has proposed to contribute) to that element');

export function crosscuttingService(db: Db) {
  const gate = writeGate(db);
  const agencies = agencyService(db);

  return {
    async propose(actor: Actor, elementId: string, input: { targetElementId: string; note?: string }): Promise<CrosscuttingDto> {
      try {
        return await gate.run(actor, async (w) => {
          const { element } = await visibleElement(w.tx, actor, elementId);
          const from = await w.agency(element.agencyId);
          const target = await repo.elementWithPath(w.tx, input.targetElementId);
          if (!target) throw badRequest('targetElementId names no element', [{ path: 'targetElementId', message: 'unknown element' }]);
          if (from.path.includes(target.agencyId)) {
            throw badRequest('The target is an element of this agency or of an ancestor agency: that is cascading (supports), not crosscutting',
              [{ path: 'targetElementId', message: 'must be an element of a sibling or other non-ancestor agency' }]);
          }
          if (await repo.openLink(w.tx, elementId, target.id)) throw duplicate();
          const row = await repo.insert(w.tx, {
            fromElementId: elementId, toElementId: target.id, fromAgencyId: element.agencyId, toAgencyId: target.agencyId,
            status: 'pending', note: input.note ?? null, createdBy: actor.clientId,
          });
          const dto = toLinkDto(row);
          await w.audit({ action: 'crosscutting.propose', entityType: 'crosscutting', entityId: row.id, agencyId: element.agencyId, after: dto });
          return dto;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicate();
        throw err;
      }
    },

    /** By the receiving agency (its scope): the proposing side alone may not decide (403). */
    async decide(actor: Actor, id: string, decision: 'accepted' | 'rejected', reason: string | undefined): Promise<CrosscuttingDto> {
      return gate.run(actor, async (w) => {
        const found = await repo.findWithPaths(w.tx, id, true);
        if (found) Object.assign(found, { fromPath: asPath(found.fromPath), toPath: asPath(found.toPath) });
        if (!found || !(inScope(actor, found.fromPath) || inScope(actor, found.toPath))) throw notFound('Crosscutting link');
        if (!inScope(actor, found.toPath)) throw forbidden('Only the receiving agency decides on a crosscutting link');
        await w.agency(found.link.toAgencyId);
        if (decision === 'rejected' && !reason) throw badRequest('A reason is required to reject', [{ path: 'reason', message: 'required to reject' }]);
        if (found.link.status !== 'pending') throw conflict(`This link is already ${found.link.status}`);
        const before = toLinkDto(found.link);
        const dto = toLinkDto(await repo.decide(w.tx, id, { status: decision, reason: decision === 'rejected' ? reason! : reason ?? null, decidedBy: actor.clientId }));
        await w.audit({
          action: decision === 'accepted' ? 'crosscutting.accept' : 'crosscutting.reject', entityType: 'crosscutting', entityId: id,
          agencyId: found.link.toAgencyId, before, after: dto,
        });
        return dto;
      });
    },

    async list(actor: Actor, agencyId: string, q: { direction?: 'incoming' | 'outgoing'; status?: LinkRow['status']; cursor?: string; limit: number }) {
      await agencies.getVisible(actor, agencyId);
      const rows = await repo.list(db, agencyId, { ...q, afterId: decodeIdCursor(q.cursor) });
      return pageOf(rows, q.limit, (r) => r.id, toLinkDto);
    },
  };
}
