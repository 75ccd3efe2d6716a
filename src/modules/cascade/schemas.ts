import { z } from 'zod';
import { AGENCY_KINDS, AGGREGATIONS, ELEMENT_LEVELS, POLARITIES } from '../../db/schema/index.js';
import { CATEGORIES } from '../../domain/achievement.js';
import { yearValue } from '../plans/schemas.js';

export const cascadeQuery = z.object({ year: z.coerce.number().pipe(yearValue).describe('The year of the figures') });

export type CascadeIndicator = {
  indicatorId: string; code: string; name: string; unit: string; polarity: (typeof POLARITIES)[number];
  aggregation: (typeof AGGREGATIONS)[number]; target: number | null; targetRange: { min: number; max: number } | null;
  realization: number | null; achievement: number | null; category: (typeof CATEGORIES)[number];
};
export type CascadeNode = {
  element: { id: string; planId: string; agencyId: string; level: (typeof ELEMENT_LEVELS)[number]; code: string; title: string };
  agency: { id: string; code: string; name: string; kind: (typeof AGENCY_KINDS)[number] };
  relation: 'supports' | 'crosscutting' | null;
  indicators: CascadeIndicator[];
  contributors: CascadeNode[];
};

const cascadeIndicatorSchema = z.object({
  indicatorId: z.uuid(), code: z.string(), name: z.string(), unit: z.string(), polarity: z.enum(POLARITIES), aggregation: z.enum(AGGREGATIONS),
  target: z.number().nullable().describe('As in the report: the latest signed agreement\'s, else the indicator\'s annual target; null for a range'),
  targetRange: z.object({ min: z.number(), max: z.number() }).nullable(),
  realization: z.number().nullable(),
  achievement: z.number().nullable().describe('Percent, rounded half up to 2 decimals'),
  category: z.enum(CATEGORIES),
});

export const cascadeNodeSchema: z.ZodType<CascadeNode> = z.object({
  element: z.object({ id: z.uuid(), planId: z.uuid(), agencyId: z.uuid(), level: z.enum(ELEMENT_LEVELS), code: z.string(), title: z.string() }),
  agency: z.object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.enum(AGENCY_KINDS) }),
  relation: z.enum(['supports', 'crosscutting']).nullable().describe('How this element contributes to the one above it; null at the top'),
  indicators: z.array(cascadeIndicatorSchema),
  get contributors() { return z.array(cascadeNodeSchema); },
}).meta({ id: 'CascadeNode', description: 'An element with its indicators\' figures and, recursively, the elements contributing to it' });
