import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../http/pagination.js';
import { changeService } from './service.js';
import { changeEventSchema, typesQuery } from './schemas.js';

/** GET /v1/changes: every committed change in the caller's scope, as events, oldest first. */
export async function changeRoutes(app: FastifyInstance) {
  const svc = changeService(app.db);
  app.withTypeProvider<ZodTypeProvider>().get('/v1/changes', {
    schema: {
      tags: ['changes'],
      operationId: 'listChanges',
      summary: 'Follow every change in your scope as events',
      description: 'Events in commit order, oldest first. Follow `nextCursor` (always present, also on an empty page) '
        + 'to see every event exactly once, even when transactions commit out of order; an event shows up once '
        + 'every transaction that started before it has finished. Admins and unscoped evaluators see all agencies.',
      querystring: pageQuery.extend({ types: typesQuery }),
      response: {
        200: z.object({
          data: z.array(changeEventSchema),
          nextCursor: z.string().describe('Where to continue; poll with it when the page was empty'),
        }),
      },
    },
  }, async (req) => svc.list(req.actor, req.query));
}
