import { z } from 'zod';
import { CROSSCUTTING_STATUSES } from '../../db/schema/index.js';
import { pageQuery } from '../../http/pagination.js';
import { bodyUuid } from '../plans/schemas.js';

export const crosscuttingStatus = z.enum(CROSSCUTTING_STATUSES);

export const crosscuttingSchema = z.object({
  id: z.uuid(),
  fromElementId: z.uuid().describe('The contributing element'),
  toElementId: z.uuid().describe('The element it contributes to'),
  fromAgencyId: z.uuid(),
  toAgencyId: z.uuid(),
  status: crosscuttingStatus,
  note: z.string().nullable(),
  reason: z.string().nullable().describe('Why the receiving agency rejected it'),
  createdBy: z.string(),
  createdAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
}).meta({ id: 'CrosscuttingLink', description: 'Lintas sektor: an element contributing to an element of a non-ancestor agency\'s plan' });

export const proposeBody = z.object({
  targetElementId: bodyUuid().describe('An element of a sibling or other non-ancestor agency\'s plan'),
  note: z.string().trim().min(1).max(2000).optional(),
}).strict().meta({ examples: [{ targetElementId: '01934b7e-0000-7000-8000-000000000002', note: 'Penurunan stunting: sanitasi layak' }] });

export const decisionBody = z.object({
  decision: z.enum(['accepted', 'rejected']),
  reason: z.string().trim().min(1).max(2000).optional().describe('Required to reject'),
}).strict().meta({ examples: [{ decision: 'rejected', reason: 'Indikator tidak terkait sasaran ini' }] });

export const linkParams = z.object({ id: z.uuid() });
export const listCrosscuttingQuery = pageQuery.extend({
  direction: z.enum(['incoming', 'outgoing']).optional().describe('incoming: to the agency\'s elements; outgoing: from them; both when absent'),
  status: crosscuttingStatus.optional(),
});

export type CrosscuttingDto = z.infer<typeof crosscuttingSchema>;
