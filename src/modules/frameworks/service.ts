import type { Db, DbOrTx } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { FrameworkDefinition } from '../../db/schema/index.js';
import { formatDecimal } from '../../domain/decimal.js';
import { frameworkProblems } from '../../domain/evaluation.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { badRequest, conflict, notFound } from '../../http/problem.js';
import { frameworkRepository, type FrameworkRow } from './repository.js';
import type { FrameworkBody, FrameworkDto } from './schemas.js';

export const toFrameworkDto = (r: FrameworkRow): FrameworkDto => ({
  id: r.id,
  code: r.code,
  name: r.name,
  builtIn: r.builtIn,
  components: r.definition.components.map((c) => ({
    code: c.code,
    name: c.name,
    weight: Number(c.weight),
    subComponents: c.subComponents.map((s) => ({
      code: s.code,
      name: s.name,
      weight: Number(s.weight),
      criteria: s.criteria.map((cr) => ({ id: cr.id, code: cr.code, text: cr.text, scale: cr.scale })),
    })),
  })),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** A JSON number weight as an exact decimal string ("4.5", "30"). */
const weightString = (n: number) => formatDecimal(formatDecimal(n, 4));

/** The body as stored: weights become exact decimal strings, a criterion's code defaults to its id. */
function toDefinition(body: FrameworkBody): FrameworkDefinition {
  const definition: FrameworkDefinition = {
    components: body.components.map((c) => ({
      code: c.code,
      name: c.name,
      weight: weightString(c.weight),
      subComponents: c.subComponents.map((s) => ({
        code: s.code,
        name: s.name,
        weight: weightString(s.weight),
        criteria: s.criteria.map((cr) => ({ id: cr.id, code: cr.code ?? cr.id, text: cr.text, scale: cr.scale })),
      })),
    })),
  };
  // Weight sums and criterion ids are the scoring rules' own checks (src/domain/evaluation.ts).
  const problems = frameworkProblems(definition);
  if (problems.length) {
    throw badRequest(`The framework cannot be scored: ${problems.join('; ')}`, problems.map((message) => ({ path: 'components', message })));
  }
  return definition;
}

export function frameworkService(db: Db) {
  const repo = frameworkRepository(db);
  const gate = writeGate(db);
  const duplicateCode = (code: string) => conflict(`An evaluation framework with code ${code} already exists`);

  async function get(ref: string, tx: DbOrTx = db): Promise<FrameworkRow> {
    const row = await repo.findByRef(ref, tx);
    if (!row) throw notFound('Evaluation framework');
    return row;
  }

  /** Loads a framework for a change and refuses when it is built in or evaluations use it. */
  async function getMutable(ifMatch: string | undefined, ref: string, tx: DbOrTx): Promise<FrameworkRow> {
    const row = await repo.findByRef(ref, tx, 'update');
    if (!row) throw notFound('Evaluation framework');
    if (row.builtIn) throw conflict(`Framework ${row.code} is built in and cannot be changed or deleted`);
    if (await repo.inUse(row.id, tx)) {
      throw conflict(`Framework ${row.code} is used by evaluations and cannot be changed or deleted; create a new framework instead`);
    }
    assertIfMatch(ifMatch, toFrameworkDto(row));
    return row;
  }

  async function withDuplicateCheck<T>(code: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateCode(code);
      throw err;
    }
  }

  return {
    get,

    async list(q: { cursor?: string; limit: number }) {
      const rows = await repo.list(decodeIdCursor(q.cursor), q.limit);
      return pageOf(rows, q.limit, (r) => r.id, toFrameworkDto);
    },

    async create(actor: Actor, body: FrameworkBody): Promise<FrameworkDto> {
      const definition = toDefinition(body);
      return withDuplicateCheck(body.code, () => gate.run(actor, async ({ tx, audit }) => {
        if (await repo.findByCode(body.code, tx)) throw duplicateCode(body.code);
        const dto = toFrameworkDto(await repo.insert({ code: body.code, name: body.name, definition }, tx));
        await audit({ action: 'framework.create', entityType: 'evaluation_framework', entityId: dto.id, after: dto });
        return dto;
      }));
    },

    async replace(actor: Actor, ifMatch: string | undefined, ref: string, body: FrameworkBody): Promise<FrameworkDto> {
      const definition = toDefinition(body);
      return withDuplicateCheck(body.code, () => gate.run(actor, async ({ tx, audit }) => {
        const current = await getMutable(ifMatch, ref, tx);
        if (body.code !== current.code && await repo.findByCode(body.code, tx)) throw duplicateCode(body.code);
        const before = toFrameworkDto(current);
        const after = toFrameworkDto(await repo.update(current.id, { code: body.code, name: body.name, definition }, tx));
        await audit({ action: 'framework.update', entityType: 'evaluation_framework', entityId: current.id, before, after });
        return after;
      }));
    },

    async remove(actor: Actor, ifMatch: string | undefined, ref: string): Promise<void> {
      await gate.run(actor, async ({ tx, audit }) => {
        const current = await getMutable(ifMatch, ref, tx);
        await repo.delete(current.id, tx);
        await audit({ action: 'framework.delete', entityType: 'evaluation_framework', entityId: current.id, before: toFrameworkDto(current) });
      });
    },
  };
}
