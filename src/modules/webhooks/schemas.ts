import { z } from 'zod';
import { eventTypeSchema } from '../changes/schemas.js';

const eventsField = z.array(z.union([z.literal('*'), eventTypeSchema])).min(1).max(50)
  .describe('Event types to receive (e.g. `measurement.verified`), or `"*"` for all');
const urlField = z.url({ protocol: /^https?$/ }).max(2000)
  .describe('http(s) URL that receives a POST per event; private and loopback addresses are refused');

export const createWebhookBody = z.object({
  url: urlField,
  events: eventsField,
  agencyId: z.uuid().optional().describe('Only events of this agency and the agencies below it (default: the caller\'s scope)'),
}).strict().meta({ example: { url: 'https://sim.example.go.id/hooks/sakip', events: ['measurement.verified', 'measurement.returned'] } });

export const patchWebhookBody = z.object({
  url: urlField.optional(),
  events: eventsField.optional(),
  status: z.enum(['active', 'disabled']).optional().describe('`active` again resumes the deliveries left when it was disabled'),
}).strict();

export const webhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.string()),
  agencyId: z.uuid().nullable(),
  status: z.enum(['active', 'disabled']),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Webhook', description: 'A webhook subscription (the secret is only answered when it is created)' });

export const createdWebhookSchema = webhookSchema.extend({
  secret: z.string().describe('`whsec_<base64>`: the Standard Webhooks signing secret; shown this once only'),
}).meta({
  id: 'CreatedWebhook',
  example: {
    id: '01936f8e-1c2a-7b3d-9e4f-5a6b7c8d9e0f', url: 'https://sim.example.go.id/hooks/sakip', events: ['measurement.verified'],
    agencyId: null, status: 'active', disabledAt: null, createdAt: '2025-04-10T03:15:00.000Z', updatedAt: '2025-04-10T03:15:00.000Z',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  },
});

export const deliverySchema = z.object({
  id: z.uuid(),
  eventId: z.uuid().nullable().describe('null for a test delivery'),
  attempt: z.number().int().describe('Attempts made so far'),
  status: z.enum(['pending', 'delivered', 'failed']),
  responseStatus: z.number().int().nullable().describe('HTTP status of the last attempt (null: no answer)'),
  error: z.string().nullable(),
  at: z.string().nullable().describe('Time of the last attempt'),
  nextAt: z.string().nullable().describe('When a pending delivery is tried next'),
}).meta({ id: 'WebhookDelivery' });

export const webhookParams = z.object({ webhookId: z.uuid() });
