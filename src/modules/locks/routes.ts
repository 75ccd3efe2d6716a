import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PERIOD_REGEX } from '../../domain/period.js';
import { ROLES_ADMIN, ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { lockService } from './service.js';

const periodParam = z.string().regex(PERIOD_REGEX, 'a year YYYY or a quarter YYYYQn (n = 1..4)')
  .describe('Year `YYYY` (locks its quarters too) or quarter `YYYYQn`');
const agencyParams = z.object({ agencyId: z.uuid() });
const lockParams = agencyParams.extend({ period: periodParam });

export const lockSchema = z.object({
  agencyId: z.uuid(),
  period: z.string(),
  reason: z.string().nullable(),
  lockedBy: z.string(),
  lockedAt: z.string(),
}).meta({ id: 'PeriodLock', description: 'A locked period of an agency: its measurements, targets, budgets and agreement cannot change' });


/** Period locks (API.md "Period locks"): admins and operators lock, only admins unlock. */
export async function lockRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = lockService(app.db);
  const tags = ['locks'];

  r.put('/v1/agencies/:agencyId/locks/:period', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      operationId: 'lockPeriod', description: 'Locks a year or quarter of an agency: its measurements and targets can no longer change until an admin unlocks it.',
      tags, summary: 'Lock a period of an agency (201 locked now, 200 already locked)',
      params: lockParams,
      body: z.object({ reason: z.string().trim().max(1000).optional() }).strict().nullish(),
      response: { 200: lockSchema, 201: lockSchema },
    },
  }, async (req, reply) => {
    const { agencyId, period } = req.params;
    const { dto, created } = await svc.lock(req.actor, agencyId, period, req.body?.reason || null);
    reply.code(created ? 201 : 200);
    return withEtag(reply, dto);
  });

  r.delete('/v1/agencies/:agencyId/locks/:period', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'unlockPeriod', description: 'Removes the lock of a period (admin only).',
      tags, summary: 'Unlock a period (admin only; 404 when it is not locked)', params: lockParams, response: { 204: z.null().describe('Unlocked') },
    },
  }, async (req, reply) => {
    await svc.unlock(req.actor, req.params.agencyId, req.params.period, ifMatchOf(req));
    return reply.code(204).send(null);
  });

  r.get('/v1/agencies/:agencyId/locks', {
    schema: {
      operationId: 'listPeriodLocks', description: 'The locked periods of an agency ordered by period.',
      tags, summary: 'The locked periods of an agency, ordered by period',
      params: agencyParams, querystring: pageQuery, response: { 200: pageSchema(lockSchema) },
    },
  }, async (req) => svc.list(req.actor, req.params.agencyId, req.query));

  r.get('/v1/agencies/:agencyId/locks/:period', {
    schema: {
      operationId: 'getPeriodLock', description: 'Whether a period is locked, by its own lock or, for a quarter, by its year\'s lock; 404 while it is open.',
      tags, summary: 'Whether a period is locked: its own lock, or for a quarter its year\'s lock; 404 when open',
      params: lockParams, response: { 200: lockSchema },
    },
  }, async (req, reply) => withEtag(reply, await svc.covering(req.actor, req.params.agencyId, req.params.period)));
}
