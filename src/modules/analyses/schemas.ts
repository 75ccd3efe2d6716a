import { z } from 'zod';
import { yearParam } from '../plans/schemas.js';

const text = (what: string) => z.string().max(20_000).optional().describe(`${what}; empty when not given`);

export const analysisParams = z.object({ indicatorId: z.uuid(), year: yearParam });

export const putAnalysisBody = z.object({
  causes: text('Causes of success or failure (penyebab keberhasilan/kegagalan)'),
  supportingFactors: text('Supporting factors (faktor pendukung)'),
  inhibitingFactors: text('Inhibiting factors (faktor penghambat)'),
  solutions: text('Solutions planned (solusi / alternatif pemecahan)'),
}).strict().meta({
  examples: [{
    causes: 'Realisasi di atas target karena posyandu aktif bertambah',
    supportingFactors: 'Dukungan dana desa', inhibitingFactors: 'Data e-PPGBM terlambat', solutions: 'Verifikasi data bulanan',
  }],
});

export const analysisSchema = z.object({
  indicatorId: z.uuid(),
  year: z.number().int(),
  causes: z.string(),
  supportingFactors: z.string(),
  inhibitingFactors: z.string(),
  solutions: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}).meta({ id: 'Analysis', description: 'Analisis capaian of an indicator for a year (shown in the report)' });

export type AnalysisDto = z.infer<typeof analysisSchema>;
export type AnalysisInput = z.infer<typeof putAnalysisBody>;
