/**
 * The cascade (DOMAIN.md "Cascading roll-up"): an element's indicators with their figures for a
 * year and, recursively, every element that contributes to it (supports from descendant agencies,
 * accepted crosscutting links). A fixed number of queries whatever the depth: the scope check, one
 * recursive query for the graph, and one batch of figures computed by the report's own rules.
 */
import type { Db } from '../../db/client.js';
import { achievement, isRange, type Polarity } from '../../domain/achievement.js';
import { inScope, type Actor } from '../../http/access.js';
import { visibleElement } from '../plans/repository.js';
import { indexRows, realizationOf, targetOf } from '../reports/compute.js';
import { cascadeRepository as repo, type GraphRow } from './repository.js';
import type { CascadeIndicator, CascadeNode } from './schemas.js';

const asPath = (p: string[] | string): string[] => (Array.isArray(p) ? p : p.replace(/[{}]/g, '').split(',').filter(Boolean));
const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const num = (s: string | null) => (s === null ? null : Number(s));

export function cascadeService(db: Db) {
  return {
    async get(actor: Actor, elementId: string, year: number): Promise<CascadeNode> {
      await visibleElement(db, actor, elementId);
      const graph = await repo.graph(db, elementId);
      // Contributors outside the caller's scope are left out, with everything below them.
      const visible = graph.filter((g) => inScope(actor, asPath(g.agencyPath)));
      const ids = [...new Set(visible.map((g) => g.id))];
      const rows = await repo.figures(db, ids, year);
      const ix = indexRows(rows);

      const indicatorsOf = (id: string): CascadeIndicator[] => [...(ix.indicatorsByElement.get(id) ?? [])].sort(byCode).map((ind) => {
        const target = targetOf(ix, ind, year);
        const realization = realizationOf(ix, ind, year);
        const result = achievement({ target, realization, polarity: ind.polarity as Polarity });
        return {
          indicatorId: ind.id, code: ind.code, name: ind.name, unit: ind.unit, polarity: ind.polarity, aggregation: ind.aggregation,
          target: target === null || isRange(target) ? null : Number(target),
          targetRange: target !== null && isRange(target) ? { min: Number(target.min), max: Number(target.max) } : null,
          realization: num(realization), achievement: num(result.achievement), category: result.category,
        };
      });

      const children = new Map<string, GraphRow[]>();
      for (const g of visible) {
        if (g.parentId === null) continue;
        const list = children.get(g.parentId);
        if (list) list.push(g);
        else children.set(g.parentId, [g]);
      }
      // Depth-first from the root; an element already on the path (a crosscutting cycle) stops there.
      const build = (g: GraphRow, path: Set<string>): CascadeNode => {
        const onPath = new Set(path).add(g.id);
        return {
          element: { id: g.id, planId: g.planId, agencyId: g.agencyId, level: g.level as CascadeNode['element']['level'], code: g.code, title: g.title },
          agency: { id: g.agencyId, code: g.agencyCode, name: g.agencyName, kind: g.agencyKind as CascadeNode['agency']['kind'] },
          relation: g.relation,
          indicators: indicatorsOf(g.id),
          contributors: (children.get(g.id) ?? []).filter((c) => !onPath.has(c.id))
            .sort((a, b) => byCode({ code: a.agencyCode }, { code: b.agencyCode }) || byCode(a, b))
            .map((c) => build(c, onPath)),
        };
      };
      const root = graph.find((g) => g.parentId === null)!;
      return build(root, new Set());
    },
  };
}
