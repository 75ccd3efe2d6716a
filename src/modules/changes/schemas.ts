import { z } from 'zod';

/** An event type: `<entity>.<past tense>`, e.g. `measurement.verified`, `period.locked`. */
export const EVENT_TYPE_REGEX = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
export const eventTypeSchema = z.string().max(100).regex(EVENT_TYPE_REGEX, 'an event type like measurement.created');

export const changeEventSchema = z.object({
  id: z.uuid().describe('Event id; also the `webhook-id` of its deliveries'),
  type: z.string().describe('`<entity>.<past tense>`: measurement.created, measurement.verified, period.locked, report.submitted, ...'),
  entityType: z.string(),
  entityId: z.string(),
  agencyId: z.uuid().nullable(),
  occurredAt: z.string().describe('When the change was made (RFC 3339)'),
  data: z.unknown().nullable().describe('The entity after the change (before it, for a deletion)'),
}).meta({
  id: 'ChangeEvent',
  description: 'One committed change',
  example: {
    id: '0b4c1d0e-3f7a-4e55-9a51-7b0f1c2d3e4f', type: 'measurement.verified', entityType: 'measurement',
    entityId: '01936f8e-1c2a-7b3d-9e4f-5a6b7c8d9e0f/2025Q1', agencyId: '01936f8e-0000-7000-8000-000000000001',
    occurredAt: '2025-04-10T03:15:00.000Z', data: { value: 87.5, note: null, status: 'verified', revision: 2 },
  },
});

export type ChangeEvent = z.infer<typeof changeEventSchema>;

/** `types=a.b,c.d` as a list, each checked. */
export const typesQuery = z.string().max(2000).optional()
  .transform((s, ctx) => {
    if (s === undefined || s.trim() === '') return undefined;
    const list = [...new Set(s.split(',').map((t) => t.trim()).filter(Boolean))];
    for (const t of list) {
      if (!EVENT_TYPE_REGEX.test(t)) ctx.addIssue({ code: 'custom', message: `"${t.slice(0, 100)}" is not an event type like measurement.created` });
    }
    if (list.length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 types' });
    return list;
  })
  .describe('Comma-separated event types to keep, e.g. `measurement.verified,measurement.returned`');
