import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { countedMeasurement, type ReportRows } from '../reports/repository.js';

/** One node of the contribution graph: an element, its agency, and which element it contributes to. */
export type GraphRow = {
  parentId: string | null; relation: 'supports' | 'crosscutting' | null;
  id: string; planId: string; agencyId: string; level: string; code: string; title: string;
  agencyCode: string; agencyName: string; agencyKind: string; agencyPath: string[] | string;
};

export const cascadeRepository = {
  /**
   * The element and, recursively, every element that contributes to it: elements whose `supports`
   * name it (cascading from descendant agencies) and the sources of accepted crosscutting links.
   * One recursive query whatever the depth; UNION (not UNION ALL) makes a cycle of crosscutting
   * links terminate, since the set of (parent, child, relation) edges is finite.
   */
  async graph(tx: DbOrTx, rootId: string): Promise<GraphRow[]> {
    return queryRows<GraphRow>(tx, sql`
      WITH RECURSIVE edges(parent, child, relation) AS (
        SELECT ${rootId}::uuid, c.id, c.relation FROM (
          SELECT e.id, 'supports' AS relation FROM elements e WHERE e.supports @> ARRAY[${rootId}::uuid]
          UNION ALL
          SELECT l.from_element_id, 'crosscutting' FROM crosscutting_links l WHERE l.to_element_id = ${rootId}::uuid AND l.status = 'accepted'
        ) c
        UNION
        SELECT x.child, c.id, c.relation FROM edges x CROSS JOIN LATERAL (
          SELECT e.id, 'supports' AS relation FROM elements e WHERE e.supports @> ARRAY[x.child]
          UNION ALL
          SELECT l.from_element_id, 'crosscutting' FROM crosscutting_links l WHERE l.to_element_id = x.child AND l.status = 'accepted'
        ) c
      ), nodes(parent, id, relation) AS (
        SELECT NULL::uuid, ${rootId}::uuid, NULL::text
        UNION ALL
        SELECT parent, child, relation FROM edges
      )
      SELECT n.parent AS "parentId", n.relation, e.id, e.plan_id AS "planId", e.agency_id AS "agencyId", e.level, e.code, e.title,
             a.code AS "agencyCode", a.name AS "agencyName", a.kind AS "agencyKind", a.path AS "agencyPath"
      FROM nodes n JOIN elements e ON e.id = n.id JOIN agencies a ON a.id = e.agency_id`);
  },

  /**
   * The figures of the elements' indicators for the year, in the report's row shapes (so the
   * report's rules compute them): indicators, annual targets, the year's measurements and the
   * latest signed agreement of each agency. Four queries whatever the number of elements.
   */
  async figures(tx: DbOrTx, elementIds: string[], year: number): Promise<ReportRows> {
    const empty: ReportRows = { elements: [], indicators: [], targets: [], measurements: [], agreementItems: [], budgets: [] };
    if (!elementIds.length) return empty;
    const ids = sql.param(elementIds);
    const periods = sql.param([String(year), ...[1, 2, 3, 4].map((q) => `${year}Q${q}`)]);
    const ofElements = sql`(SELECT id FROM indicators WHERE element_id = ANY(${ids}::uuid[]))`;
    const indicators = await queryRows<ReportRows['indicators'][number]>(tx, sql`
      SELECT i.id, i.element_id AS "elementId", i.plan_id AS "planId", i.agency_id AS "agencyId", i.code, i.name, i.type, i.unit,
             i.polarity, i.aggregation, i.is_key AS "isKey"
      FROM indicators i WHERE i.element_id = ANY(${ids}::uuid[])`);
    const targets = await queryRows<ReportRows['targets'][number]>(tx, sql`
      SELECT indicator_id AS "indicatorId", period, value, min_value AS "minValue", max_value AS "maxValue"
      FROM targets WHERE indicator_id IN ${ofElements} AND period = ${String(year)}`);
    const measurements = await queryRows<ReportRows['measurements'][number]>(tx, sql`
      SELECT indicator_id AS "indicatorId", period, value FROM measurements
      WHERE indicator_id IN ${ofElements} AND period = ANY(${periods}::text[]) AND ${countedMeasurement()}`);
    const agreementItems = await queryRows<ReportRows['agreementItems'][number]>(tx, sql`
      SELECT s.agency_id AS "agencyId", s.year, s.version, i.indicator_id AS "indicatorId", i.target,
             i.target_min AS "targetMin", i.target_max AS "targetMax"
      FROM (SELECT DISTINCT ON (agency_id) agency_id, year, version FROM agreements
            WHERE year = ${year} AND status = 'signed'
              AND agency_id IN (SELECT DISTINCT agency_id FROM elements WHERE id = ANY(${ids}::uuid[]))
            ORDER BY agency_id, version DESC) s
      LEFT JOIN agreement_items i ON i.agency_id = s.agency_id AND i.year = s.year AND i.version = s.version`);
    return { ...empty, indicators, targets, measurements, agreementItems };
  },
};
