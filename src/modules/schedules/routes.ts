import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_ADMIN } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { yearParams } from '../reports/schemas.js';
import { scheduleBody, scheduleSchema } from './schemas.js';
import { scheduleService } from './service.js';

/** Due dates per year (jadwal): measurements per quarter and the LKjIP. */
export async function scheduleRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = scheduleService(app.db);
  const tags = ['schedules'];

  r.get('/v1/schedules/:year', {
    schema: {
      tags, operationId: 'getSchedule', summary: 'The due dates of a year (the defaults when never set)',
      description: 'Defaults: a quarter\'s measurements are due on the 15th day after it ends (Q4: 15 January of the next year); '
        + 'the LKjIP on 31 March of the next year (regional) or the last day of February of the next year (central: ministries and institutions). Dates are in WIB (UTC+7).',
      params: yearParams, response: { 200: scheduleSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.get(req.params.year)));

  r.put('/v1/schedules/:year', {
    config: { roles: ROLES_ADMIN },
    schema: {
      tags, operationId: 'putSchedule', summary: 'Set the due dates of a year (admin; honours If-Match)',
      description: 'Sets the measurement due date of each quarter and the LKjIP due dates (regional and central) of a year; dates are days in WIB (UTC+7).',
      params: yearParams, body: scheduleBody, response: { 200: scheduleSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.put(req.actor, req.params.year, req.body, ifMatchOf(req))));
}
