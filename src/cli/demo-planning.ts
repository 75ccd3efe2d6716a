/**
 * The demo's planning cycle beyond the agreement (sakip seed --demo, npm run seed -- --demo): an approved Rencana Aksi
 * of Dinas Kesehatan, a crosscutting link from Dinas Sosial to it, and analyses (analisis capaian).
 */
import type { Call } from './demo.js';

export type Loaded = {
  indicators: Array<{ id: string; code: string; elementId: string; target: number; range?: [number, number]; quarters: number[] }>;
  budget: Array<{ elementId: string; amount: number }>;
};
type Department = { id: string; code: string; out: Loaded; ids: Map<string, string> };

export async function seedPlanningCycle(api: Call, d: { regencyObjectiveId: string; regency: Loaded; departments: Department[] }, log: (line: string) => void) {
  const health = d.departments.find((x) => x.code === '3299.1.02')!;
  const social = d.departments.find((x) => x.code === '3299.1.06')!;

  // Rencana Aksi 2025 of Dinas Kesehatan: its quarter targets, a reason where they miss the year.
  const url = `/v1/agencies/${health.id}/action-plans/2025`;
  const items = health.out.indicators.map((i) => ({
    indicatorId: i.id,
    quarterTargets: { Q1: i.quarters[0], Q2: i.quarters[1], Q3: i.quarters[2], Q4: i.quarters[3] },
    activities: [{ title: `Pelaksanaan kegiatan ${i.code}`, responsible: 'Kepala Bidang Kesehatan Masyarakat', budget: 250_000_000 }],
  }));
  const draft = await api<{ items: Array<{ deviation: unknown }> }>('PUT', url, { items });
  const reasons = draft.items.map((it: { deviation: unknown }) => (it.deviation ? 'Target triwulan mengikuti pola capaian tahun lalu' : undefined));
  if (reasons.some(Boolean)) await api('PUT', url, { items: items.map((it, k) => ({ ...it, ...(reasons[k] ? { deviationReason: reasons[k] } : {}) })) });
  await api('POST', `${url}/submit`);
  await api('POST', `${url}/review`, { decision: 'approved', comment: 'Sesuai Perjanjian Kinerja; diverifikasi Inspektorat' });
  log('Dinas Kesehatan: Rencana Aksi 2025 approved');

  // Lintas sektor: Dinas Sosial's objective contributes to Dinas Kesehatan's stunting objective.
  const link = await api<{ id: string }>('POST', `/v1/elements/${social.ids.get('T1.S1')}/crosscutting`, {
    targetElementId: health.ids.get('T1.S1'), note: 'Bantuan pangan keluarga berisiko stunting',
  });
  await api('POST', `/v1/crosscutting/${link.id}/decision`, { decision: 'accepted' });
  log('Dinas Sosial -> Dinas Kesehatan: crosscutting link accepted');

  // Analisis capaian of 2025 for the stunting indicators.
  const stunting = [health.out.indicators.find((i) => i.code === 'KES-01'), d.regency.indicators.find((i) => i.code === 'IKD-04')];
  for (const i of stunting.filter(Boolean)) {
    await api('PUT', `/v1/indicators/${i!.id}/analyses/2025`, {
      causes: 'Intervensi gizi spesifik menjangkau lebih banyak balita melalui posyandu aktif',
      supportingFactors: 'Dana desa untuk pemberian makanan tambahan; kader posyandu terlatih',
      inhibitingFactors: 'Data e-PPGBM terlambat di beberapa puskesmas',
      solutions: 'Verifikasi data bulanan dan pendampingan keluarga berisiko stunting',
    });
  }
  log(`Analyses recorded; GET /v1/elements/${d.regencyObjectiveId}/cascade?year=2025 shows the regency's first objective with numbers`);
}
