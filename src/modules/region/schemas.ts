import { z } from 'zod';
import { CATEGORIES } from '../../domain/achievement.js';
import { PERIOD_PATTERN } from '../../domain/period.js';

const pct = z.number().nullable();

export const completenessQuery = z.object({
  period: z.string().regex(new RegExp(PERIOD_PATTERN), 'a period YYYY or YYYYQn').optional()
    .describe('A quarter (YYYYQn) or the year (YYYY) of the path\'s year; default the year'),
  parentId: z.uuid().optional().describe('Only the agencies below this one (all levels; the agency itself is not included)'),
});

export const completenessSchema = z.object({
  year: z.number().int(),
  period: z.string(),
  dueDate: z.string().describe('The measurement due date of the period (a quarter\'s own; the year uses Q4\'s), a date in WIB'),
  dueEnd: z.string().describe('RFC 3339: the instant the due date ends (00:00:00 WIB of the next day); on time = recorded before it'),
  agencies: z.array(z.object({
    agencyId: z.uuid(),
    code: z.string(),
    name: z.string(),
    expected: z.number().int().describe('Indicators whose plan covers the year'),
    reported: z.number().int().describe('Expected indicators with a counted (submitted or verified) measurement for the period'),
    onTime: z.number().int().describe('Reported indicators whose first revision was recorded by the end of the due date'),
    completeness: pct.describe('reported / expected × 100, rounded half up to 2 decimals; null when nothing is expected'),
    timeliness: pct.describe('onTime / expected × 100, rounded half up to 2 decimals; null when nothing is expected'),
  })).describe('Every agency of the region, by code'),
}).meta({
  id: 'Completeness',
  description: 'Reporting completeness and timeliness of a region for a period',
  example: {
    year: 2025, period: '2025Q3', dueDate: '2025-10-15', dueEnd: '2025-10-15T17:00:00.000Z',
    agencies: [{ agencyId: '01930000-0000-7000-8000-00000000000a', code: '3299.1.02', name: 'Dinas Kesehatan', expected: 12, reported: 9, onTime: 7, completeness: 75, timeliness: 58.33 }],
  },
});

export const rankingQuery = z.object({
  parentId: z.uuid().optional().describe('Only the agencies below this one (all levels; the agency itself is not included)'),
});

export const rankingSchema = z.object({
  data: z.array(z.object({
    agencyId: z.uuid(),
    code: z.string(),
    name: z.string(),
    meanAchievement: pct.describe('The report summary\'s mean of the computable achievements'),
    indicators: z.number().int(),
    byCategory: z.object(Object.fromEntries(CATEGORIES.map((c) => [c, z.number().int()])) as Record<(typeof CATEGORIES)[number], z.ZodNumber>),
  })).describe('Highest meanAchievement first, agencies without one last; ties by agency code'),
}).meta({
  id: 'AchievementRanking',
  description: 'Agencies of a region ranked by their LKjIP mean achievement',
  example: { data: [{
    agencyId: '01930000-0000-7000-8000-00000000000a', code: '3299.1.02', name: 'Dinas Kesehatan', meanAchievement: 96.4, indicators: 8,
    byCategory: { very_high: 6, high: 1, medium: 0, low: 0, very_low: 0, not_computable: 0, no_data: 1 },
  }] },
});
