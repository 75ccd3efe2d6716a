import { z } from 'zod';
import { AGENCY_KINDS } from '../../db/schema/index.js';
import { pageQuery } from '../../http/pagination.js';

export const agencyKind = z.enum(AGENCY_KINDS).describe('national (the one root, RPJMN), ministry, institution, province, regency, city, department or unit');
const code = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"');

export const agencySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: agencyKind,
  parentId: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Agency', description: 'An institution (instansi) or one of its units (OPD)' });

export const createAgencyBody = z.object({
  code,
  name: z.string().trim().min(1).max(300),
  kind: agencyKind,
  parentId: z.uuid().nullish(),
}).strict();

export const patchAgencyBody = createAgencyBody.partial().strict();

export const listAgenciesQuery = pageQuery.extend({
  parentId: z.uuid().optional(),
  kind: agencyKind.optional(),
  code: z.string().optional(),
  q: z.string().max(200).optional().describe('Text searched in name and code'),
});

export const agencyParams = z.object({ agencyId: z.uuid() });

export type AgencyDto = z.infer<typeof agencySchema>;
