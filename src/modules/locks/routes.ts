import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PERIOD_REGEX } from '../../domain/period.js';
import { ROLES_ADMIN, ROLES_WRITE_PLANNING } from '../../http/access.js';
import { checkIfMatch, withEtag } from '../../http/etag.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../../http/pagination.js';
import { notFound } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { writeAudit } from '../audit/repository.js';
import { lockRepository, type LockRow } from './repository.js';

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

const toLockDto = (r: LockRow): z.infer<typeof lockSchema> => ({
  agencyId: r.agencyId, period: r.period, reason: r.reason, lockedBy: r.lockedBy, lockedAt: r.lockedAt.toISOString(),
});

const entityId = (agencyId: string, period: string) => `${agencyId}/${period}`;

/** Period locks (API.md "Period locks"): admins and operators lock, only admins unlock. */
export async function lockRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const agenciesSvc = agencyService(db);
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
    const { dto, created } = await db.transaction(async (tx) => {
      await agenciesSvc.getVisible(req.actor, agencyId, tx);
      const row = await lockRepository.lock(tx, { agencyId, period, reason: req.body?.reason || null, lockedBy: req.actor.clientId });
      if (!row) return { dto: toLockDto((await lockRepository.find(tx, agencyId, period))!), created: false };
      const after = toLockDto(row);
      await writeAudit(tx, req.actor, { action: 'lock.create', entityType: 'period_lock', entityId: entityId(agencyId, period), agencyId, after });
      return { dto: after, created: true };
    });
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
    const { agencyId, period } = req.params;
    await db.transaction(async (tx) => {
      await agenciesSvc.getVisible(req.actor, agencyId, tx);
      const current = await lockRepository.find(tx, agencyId, period);
      if (!current) throw notFound('Lock');
      checkIfMatch(req, toLockDto(current));
      const row = await lockRepository.unlock(tx, agencyId, period);
      if (!row) throw notFound('Lock');
      await writeAudit(tx, req.actor, { action: 'lock.delete', entityType: 'period_lock', entityId: entityId(agencyId, period), agencyId, before: toLockDto(row) });
    });
    return reply.code(204).send(null);
  });

  r.get('/v1/agencies/:agencyId/locks', {
    schema: {
      operationId: 'listPeriodLocks', description: 'The locked periods of an agency ordered by period.',
      tags, summary: 'The locked periods of an agency, ordered by period',
      params: agencyParams, querystring: pageQuery, response: { 200: pageSchema(lockSchema) },
    },
  }, async (req) => {
    await agenciesSvc.getVisible(req.actor, req.params.agencyId);
    const after = decodeCursor(req.query.cursor, (v): v is string => typeof v === 'string' && PERIOD_REGEX.test(v));
    const rows = await lockRepository.list(db, req.params.agencyId, after, req.query.limit);
    return pageOf(rows, req.query.limit, (l) => l.period, toLockDto);
  });

  r.get('/v1/agencies/:agencyId/locks/:period', {
    schema: {
      operationId: 'getPeriodLock', description: 'Whether a period is locked, by its own lock or, for a quarter, by its year\'s lock; 404 while it is open.',
      tags, summary: 'Whether a period is locked: its own lock, or for a quarter its year\'s lock; 404 when open',
      params: lockParams, response: { 200: lockSchema },
    },
  }, async (req, reply) => {
    await agenciesSvc.getVisible(req.actor, req.params.agencyId);
    const row = await lockRepository.findCovering(db, req.params.agencyId, req.params.period);
    if (!row) throw notFound('Lock');
    return withEtag(reply, toLockDto(row));
  });
}
