import type { FastifyInstance } from 'fastify';
import { agreementRoutes } from './agreements/routes.js';
import { budgetRoutes } from './budgets/routes.js';
import { indicatorRoutes } from './indicators/routes.js';
import { planRoutes } from './plans/routes.js';
import { targetRoutes } from './targets/routes.js';

/** Planning: plans and their tree, indicators, targets, agreements (PK) and budgets. */
export async function planningRoutes(app: FastifyInstance) {
  for (const mod of [planRoutes, indicatorRoutes, targetRoutes, agreementRoutes, budgetRoutes]) await mod(app);
}
