import type { FastifyInstance } from 'fastify';
import { agencyRoutes } from './agencies/routes.js';
import { auditRoutes } from './audit/routes.js';
import { authRoutes } from './auth/routes.js';
import { clientRoutes } from './clients/routes.js';
import { opsRoutes } from './ops/routes.js';

/** Every feature module registers its own routes; add a module here, nowhere else. */
export const modules: Array<(app: FastifyInstance) => Promise<void>> = [
  opsRoutes,
  authRoutes,
  clientRoutes,
  agencyRoutes,
  auditRoutes,
];
