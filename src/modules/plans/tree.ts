import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { elements, indicators } from '../../db/schema/index.js';
import type { Actor } from '../../http/access.js';
import { indicatorSchema, type IndicatorDto } from '../indicators/schemas.js';
import { toIndicatorDto } from '../indicators/service.js';
import { crosscuttingOfPlan, visiblePlan } from './repository.js';
import { elementLevel, planSchema, type PlanDto } from './schemas.js';
import { toPlanDto } from './service.js';

export type CrosscuttingRef = { id: string; elementId: string; agencyId: string; status: 'pending' | 'accepted' | 'rejected'; direction: 'incoming' | 'outgoing' };
export type TreeNode = {
  id: string; parentId: string | null; level: z.infer<typeof elementLevel>; code: string; title: string;
  supports: string[]; crosscutting: CrosscuttingRef[]; indicators: IndicatorDto[]; children: TreeNode[];
};

const crosscuttingRefSchema = z.object({
  id: z.uuid().describe('The link'),
  elementId: z.uuid().describe('The element on the other side of the link'),
  agencyId: z.uuid().describe('The agency on the other side of the link'),
  status: z.enum(['pending', 'accepted', 'rejected']),
  direction: z.enum(['incoming', 'outgoing']).describe('incoming: the other element contributes to this one'),
});

export const treeNodeSchema: z.ZodType<TreeNode> = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  level: elementLevel,
  code: z.string(),
  title: z.string(),
  supports: z.array(z.uuid()),
  crosscutting: z.array(crosscuttingRefSchema).describe('Pending and accepted crosscutting links (lintas sektor) of the element'),
  indicators: z.array(indicatorSchema),
  get children() { return z.array(treeNodeSchema); },
}).meta({ id: 'PlanTreeNode', description: 'An element with its indicators and its children, siblings sorted by code' });

export const planTreeSchema = z.object({ plan: planSchema, elements: z.array(treeNodeSchema) })
  .meta({ id: 'PlanTree', description: 'The performance tree (pohon kinerja) of a plan; roots in `elements`' });

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** The whole tree from three queries (plan, its elements, their indicators), assembled in memory,
 * so its cost does not grow with the number of nodes in round trips. */
export async function planTree(db: Db, actor: Actor, planId: string): Promise<{ plan: PlanDto; elements: TreeNode[] }> {
  const plan = await visiblePlan(db, actor, planId);
  const [els, inds, links] = await Promise.all([
    db.select().from(elements).where(eq(elements.planId, planId)),
    db.select().from(indicators).where(eq(indicators.planId, planId)).orderBy(asc(indicators.code)),
    crosscuttingOfPlan(db, planId),
  ]);
  const nodes = new Map<string, TreeNode>();
  for (const e of els) {
    nodes.set(e.id, { id: e.id, parentId: e.parentId, level: e.level, code: e.code, title: e.title, supports: e.supports, crosscutting: [], indicators: [], children: [] });
  }
  for (const l of links) {
    nodes.get(l.toElementId)?.crosscutting.push({ id: l.id, elementId: l.fromElementId, agencyId: l.fromAgencyId, status: l.status, direction: 'incoming' });
    nodes.get(l.fromElementId)?.crosscutting.push({ id: l.id, elementId: l.toElementId, agencyId: l.toAgencyId, status: l.status, direction: 'outgoing' });
  }
  for (const i of inds) nodes.get(i.elementId)?.indicators.push(toIndicatorDto(i));
  const roots: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId ? nodes.get(n.parentId) : undefined;
    (parent ? parent.children : roots).push(n);
  }
  for (const n of nodes.values()) n.children.sort(byCode);
  roots.sort(byCode);
  return { plan: toPlanDto(plan), elements: roots };
}
