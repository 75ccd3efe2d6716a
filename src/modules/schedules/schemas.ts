import { z } from 'zod';
import { isCalendarDate } from '../../domain/schedule.js';

const dueDate = z.string().refine(isCalendarDate, 'a calendar date YYYY-MM-DD').describe('A date (YYYY-MM-DD) in WIB (UTC+7); the whole day counts');

export const scheduleBody = z.object({
  measurementDue: z.object({ Q1: dueDate, Q2: dueDate, Q3: dueDate, Q4: dueDate }).strict()
    .describe('Due date of each quarter\'s measurements (realisasi triwulan)'),
  reportDue: z.object({
    regional: dueDate.describe('LKjIP due date of regional governments and their departments'),
    central: dueDate.describe('LKjIP due date of ministries and institutions (kementerian/lembaga)'),
  }).strict(),
}).strict().meta({
  example: { measurementDue: { Q1: '2025-04-15', Q2: '2025-07-15', Q3: '2025-10-15', Q4: '2026-01-15' }, reportDue: { regional: '2026-03-31', central: '2026-02-28' } },
});
export type ScheduleBody = z.infer<typeof scheduleBody>;

export const scheduleSchema = scheduleBody.extend({
  year: z.number().int(),
  isDefault: z.boolean().describe('true when no schedule was set for the year and these are the defaults'),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
}).meta({ id: 'Schedule', description: 'Due dates of a year (jadwal)' });
export type ScheduleDto = z.infer<typeof scheduleSchema>;
