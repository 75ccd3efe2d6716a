import { z } from 'zod';
import { pageQuery } from '../../http/pagination.js';

const code = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"');
/** Weights travel as JSON numbers with up to 4 decimals; stored as decimal strings in the definition. */
const weight = z.number().positive().max(100).multipleOf(0.0001);
const scale = z.enum(['ABCD', 'YT']).describe('ABCD: A = 1, B = 0.66, C = 0.33, D = 0; YT: Y (ya) = 1, T (tidak) = 0');

export const criterionSchema = z.object({
  id: z.string().describe('Stable id that answers refer to'),
  code: z.string(),
  text: z.string(),
  scale,
}).meta({ id: 'EvaluationCriterion' });

export const frameworkSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  builtIn: z.boolean(),
  components: z.array(z.object({
    code: z.string(),
    name: z.string(),
    weight: z.number(),
    subComponents: z.array(z.object({
      code: z.string(),
      name: z.string(),
      weight: z.number(),
      criteria: z.array(criterionSchema),
    })),
  })),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'EvaluationFramework', description: 'An evaluation framework (LKE): components -> sub-components -> criteria' });

const uniqueBy = <T>(items: T[], key: (t: T) => string) => new Set(items.map(key)).size === items.length;

// `{frameworkId}` takes the id or the code, a uuid meaning the id: a uuid-shaped code could never be named.
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const frameworkBody = z.object({
  code: code.refine((c) => !UUID_SHAPE.test(c), 'a framework code must not look like a uuid (paths take the id or the code)'),
  name: z.string().trim().min(1).max(300),
  components: z.array(z.object({
    code,
    name: z.string().trim().min(1).max(300),
    weight,
    subComponents: z.array(z.object({
      code,
      name: z.string().trim().min(1).max(300),
      weight,
      criteria: z.array(z.object({
        id: code.describe('Stable id, unique within the framework'),
        code: code.optional().describe('Display code; defaults to the id'),
        text: z.string().trim().min(1).max(2000),
        scale,
      }).strict()).min(1, 'at least one criterion per sub-component').max(200),
    }).strict()).min(1).max(20)
      .refine((subs) => uniqueBy(subs, (s) => s.code), 'sub-component codes must be unique within a component'),
  }).strict()).min(1).max(20)
    .refine((cs) => uniqueBy(cs, (c) => c.code), 'component codes must be unique')
    .refine((cs) => uniqueBy(cs.flatMap((c) => c.subComponents), (s) => s.code), 'sub-component codes must be unique within the framework'),
}).strict();

export type FrameworkBody = z.infer<typeof frameworkBody>;
export type FrameworkDto = z.infer<typeof frameworkSchema>;

export const frameworkParams = z.object({
  frameworkId: z.string().min(1).max(100).describe('The framework\'s id or its code (e.g. permenpanrb-88-2021)'),
});
export const listFrameworksQuery = pageQuery;
