import type { Db, DbOrTx } from '../../db/client.js';
import { onUniqueViolation, pgConstraint } from '../../db/errors.js';
import { assertInScope, scopeFilter, type Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { writeGate } from '../../db/gate.js';
import { badRequest, conflict } from '../../http/problem.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { agencies } from '../../db/schema/index.js';
import { newId } from '../../db/schema/columns.js';
import { agencyRepository, type AgencyRow } from './repository.js';
import type { AgencyDto } from './schemas.js';

export const toAgencyDto = (r: AgencyRow): AgencyDto => ({
  id: r.id,
  code: r.code,
  name: r.name,
  kind: r.kind,
  parentId: r.parentId,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

type CreateInput = { code: string; name: string; kind: AgencyRow['kind']; parentId?: string | null };

export function agencyService(db: Db) {
  const repo = agencyRepository(db);
  const gate = writeGate(db);

  /** Loads an agency the caller may see; outside the scope it does not exist (404). */
  async function getVisible(actor: Actor, id: string, tx: DbOrTx = db): Promise<AgencyRow> {
    const row = await repo.findById(id, tx);
    assertInScope(actor, row?.path, 'Agency');
    return row!;
  }

  async function resolveParent(actor: Actor, parentId: string, tx: DbOrTx): Promise<AgencyRow> {
    const parent = await repo.findById(parentId, tx);
    if (!parent || (actor.agencyId && !parent.path.includes(actor.agencyId))) {
      throw badRequest('parentId names no agency you can see', [{ path: 'parentId', message: 'unknown agency' }]);
    }
    return parent;
  }

  const duplicateCode = (code: string) => conflict(`An agency with code ${code} already exists`);
  const secondNational = () => conflict('There is already a national agency (the root of the tree); there can be only one');

  /** The national root (kind national): no parent, and at most one (a partial unique index backs it). */
  async function checkNational(kind: AgencyRow['kind'], parentId: string | null, selfId: string | null, tx: DbOrTx) {
    if (kind !== 'national') return;
    if (parentId) throw badRequest('A national agency is the root of the tree and has no parent', [{ path: 'parentId', message: 'must be empty for kind national' }]);
    const existing = await repo.findNational(tx);
    if (existing && existing.id !== selfId) throw secondNational();
  }
  const isNationalIndex = (err: unknown) => pgConstraint(err) === 'agencies_one_national_uq';

  return {
    getVisible,

    async list(actor: Actor, q: { parentId?: string; kind?: string; code?: string; q?: string; cursor?: string; limit: number }) {
      const rows = await repo.list({ ...q, afterId: decodeIdCursor(q.cursor) }, scopeFilter(actor, agencies.path));
      return pageOf(rows, q.limit, (r) => r.id, toAgencyDto);
    },

    async create(actor: Actor, input: CreateInput): Promise<AgencyDto> {
      return onUniqueViolation(() => gate.run(actor, async ({ tx, audit }) => {
        await checkNational(input.kind, input.parentId ?? null, null, tx);
        const parent = input.parentId ? await resolveParent(actor, input.parentId, tx) : null;
        if (!parent && actor.agencyId) throw badRequest('A scoped client may only create agencies below its own', [{ path: 'parentId', message: 'required' }]);
        if (await repo.findByCode(input.code, tx)) throw duplicateCode(input.code);
        const id = newId();
        const row = await repo.insert({
          id, code: input.code, name: input.name, kind: input.kind,
          parentId: parent?.id ?? null, path: [...(parent?.path ?? []), id],
        }, tx);
        const dto = toAgencyDto(row);
        await audit({ action: 'agency.create', entityType: 'agency', entityId: row.id, agencyId: row.id, after: dto });
        return dto;
      }), (err) => (isNationalIndex(err) ? secondNational() : duplicateCode(input.code)));
    },

    async update(actor: Actor, ifMatch: string | undefined, id: string, patch: Partial<CreateInput>): Promise<AgencyDto> {
      return onUniqueViolation(() => gate.run(actor, async ({ tx, audit }) => {
        const current = await repo.findByIdForUpdate(id, tx);
        assertInScope(actor, current?.path, 'Agency');
        const before = toAgencyDto(current!);
        assertIfMatch(ifMatch, before);
        const values: Partial<typeof agencies.$inferInsert> = {};
        if (patch.code !== undefined && patch.code !== current!.code) {
          if (await repo.findByCode(patch.code, tx)) throw duplicateCode(patch.code);
          values.code = patch.code;
        }
        if (patch.name !== undefined) values.name = patch.name;
        if (patch.kind !== undefined) values.kind = patch.kind;
        if (current!.kind === 'national' && values.kind !== undefined && values.kind !== 'national' && await repo.hasPlanOfKind(id, 'rpjmn', tx)) {
          throw conflict('This agency holds the RPJMN; it stays national while it has an rpjmn plan');
        }
        if (patch.parentId !== undefined && patch.parentId !== current!.parentId) {
          const parent = patch.parentId ? await resolveParent(actor, patch.parentId, tx) : null;
          if (parent?.path.includes(id)) {
            throw badRequest('An agency cannot move below itself or its own descendants', [{ path: 'parentId', message: 'would create a cycle' }]);
          }
          if (!parent && actor.agencyId) throw badRequest('A scoped client cannot make a root agency', [{ path: 'parentId', message: 'required' }]);
          values.parentId = parent?.id ?? null;
          values.path = [...(parent?.path ?? []), id];
          await repo.rewriteSubtreePaths(id, current!.path, values.path, tx);
        }
        await checkNational(values.kind ?? current!.kind, values.parentId !== undefined ? values.parentId : current!.parentId, id, tx);
        const row = await repo.update(id, values, tx);
        const after = toAgencyDto(row);
        await audit({ action: 'agency.update', entityType: 'agency', entityId: id, agencyId: id, before, after });
        return after;
      }), (err) => (isNationalIndex(err) ? secondNational() : duplicateCode(patch.code ?? '')));
    },
  };
}
