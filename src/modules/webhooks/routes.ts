import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { webhookDispatcher } from './dispatcher.js';
import { createWebhookBody, createdWebhookSchema, deliverySchema, patchWebhookBody, webhookParams, webhookSchema } from './schemas.js';
import { webhookService } from './service.js';

/** Webhook subscriptions and the dispatcher that delivers their events (started with the app
 * unless WEBHOOK_DISPATCH=false, stopped when it closes). */
export async function webhookRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const dispatcher = webhookDispatcher(app.db, app.config, app.log);
  const svc = webhookService(app.db, dispatcher, { allowPrivate: app.config.WEBHOOK_ALLOW_PRIVATE });
  if (app.config.WEBHOOK_DISPATCH) app.addHook('onReady', async () => dispatcher.start());
  app.addHook('onClose', async () => dispatcher.stop());

  const tags = ['webhooks'];
  const config = { roles: ROLES_WRITE_PLANNING };

  r.post('/v1/webhooks', {
    config,
    schema: {
      tags, operationId: 'createWebhook', summary: 'Subscribe a URL to change events',
      description: 'Answers the signing secret this once. Deliveries are Standard Webhooks POSTs of one event each, '
        + 'at least once, retried with exponential backoff for 24 h, in order per entity; only events the calling client '
        + 'could read are sent. URLs resolving to private or loopback addresses are refused (400) unless WEBHOOK_ALLOW_PRIVATE=true.',
      body: createWebhookBody,
      response: { 201: createdWebhookSchema },
    },
  }, async (req, reply) => {
    const { secret, ...resource } = await svc.create(req.actor, req.body);
    reply.code(201).header('location', `/v1/webhooks/${resource.id}`);
    return { ...withEtag(reply, resource), secret };
  });

  r.get('/v1/webhooks', {
    config,
    schema: {
      tags, operationId: 'listWebhooks', summary: 'Webhook subscriptions in your scope',
      description: 'In creation order. Operators see the subscriptions of their agency and the agencies below it.',
      querystring: pageQuery, response: { 200: pageSchema(webhookSchema) },
    },
  }, async (req) => svc.list(req.actor, req.query));

  r.get('/v1/webhooks/:webhookId', {
    config,
    schema: {
      tags, operationId: 'getWebhook', summary: 'A webhook subscription',
      description: 'Never answers the secret.', params: webhookParams, response: { 200: webhookSchema },
    },
  }, async (req, reply) => withEtag(reply, await svc.get(req.actor, req.params.webhookId)));

  r.patch('/v1/webhooks/:webhookId', {
    config,
    schema: {
      tags, operationId: 'updateWebhook', summary: 'Change a subscription\'s URL, events or status',
      description: 'Honours If-Match. Setting `status: "active"` on a disabled subscription resumes its deliveries.',
      params: webhookParams, body: patchWebhookBody, response: { 200: webhookSchema },
    },
  }, async (req, reply) => withEtag(reply, await svc.update(req.actor, req.params.webhookId, ifMatchOf(req), req.body)));

  r.delete('/v1/webhooks/:webhookId', {
    config,
    schema: {
      tags, operationId: 'deleteWebhook', summary: 'Unsubscribe', description: 'Honours If-Match; pending deliveries are dropped.',
      params: webhookParams, response: { 204: z.null().describe('Deleted') },
    },
  }, async (req, reply) => {
    await svc.remove(req.actor, req.params.webhookId, ifMatchOf(req));
    return reply.code(204).send(null);
  });

  r.get('/v1/webhooks/:webhookId/deliveries', {
    config,
    schema: {
      tags, operationId: 'listWebhookDeliveries', summary: 'The delivery log of a subscription, newest first',
      description: 'One entry per event (and per test): attempts so far, status, the last answer.',
      params: webhookParams, querystring: pageQuery, response: { 200: pageSchema(deliverySchema) },
    },
  }, async (req) => svc.deliveries(req.actor, req.params.webhookId, req.query));

  r.post('/v1/webhooks/:webhookId/test', {
    config,
    schema: {
      tags, operationId: 'testWebhook', summary: 'Send a signed test message now',
      description: 'Posts a `webhook.test` event to the URL at once and answers the logged delivery (status `delivered` or `failed`).',
      params: webhookParams, response: { 200: deliverySchema },
    },
  }, async (req) => svc.test(req.actor, req.params.webhookId));
}
