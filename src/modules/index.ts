import type { FastifyInstance } from 'fastify';
import { actionPlanRoutes } from './action-plans/routes.js';
import { agencyRoutes } from './agencies/routes.js';
import { analysisRoutes } from './analyses/routes.js';
import { agreementRoutes } from './agreements/routes.js';
import { auditRoutes } from './audit/routes.js';
import { authRoutes } from './auth/routes.js';
import { budgetRoutes } from './budgets/routes.js';
import { cascadeRoutes } from './cascade/routes.js';
import { changeRoutes } from './changes/routes.js';
import { clientRoutes } from './clients/routes.js';
import { crosscuttingRoutes } from './crosscutting/routes.js';
import { evaluationRoutes } from './evaluations/routes.js';
import { frameworkRoutes } from './frameworks/routes.js';
import { indicatorRoutes } from './indicators/routes.js';
import { lockRoutes } from './locks/routes.js';
import { measurementRoutes } from './measurements/routes.js';
import { opsRoutes } from './ops/routes.js';
import { planRoutes } from './plans/routes.js';
import { publicRoutes } from './public/routes.js';
import { recommendationRoutes } from './recommendations/routes.js';
import { regionRoutes } from './region/routes.js';
import { reportRoutes } from './reports/routes.js';
import { scheduleRoutes } from './schedules/routes.js';
import { targetRoutes } from './targets/routes.js';
import { webhookRoutes } from './webhooks/routes.js';

/** Every feature module registers its own routes; add a module here, nowhere else. */
export const modules: Array<(app: FastifyInstance) => Promise<void>> = [
  opsRoutes,
  authRoutes,
  clientRoutes,
  agencyRoutes,
  auditRoutes,
  planRoutes,
  indicatorRoutes,
  targetRoutes,
  agreementRoutes,
  budgetRoutes,
  measurementRoutes,
  lockRoutes,
  frameworkRoutes,
  evaluationRoutes,
  recommendationRoutes,
  reportRoutes,
  scheduleRoutes,
  regionRoutes,
  publicRoutes,
  actionPlanRoutes,
  analysisRoutes,
  crosscuttingRoutes,
  cascadeRoutes,
  changeRoutes,
  webhookRoutes,
];
