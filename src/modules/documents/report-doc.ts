/**
 * LKjIP chapter III (Bab III Akuntabilitas Kinerja) as a printable document, from the computed
 * report DTO as it is (no figure is computed here, only formatted): cover data, one table set per
 * objective (sasaran), the budget with absorption and efficiency, the summary by category. A
 * submitted version adds its digest and how to verify its JWS.
 */
import { CATEGORIES } from '../../domain/achievement.js';
import type { ReportDto, ReportIndicatorDto } from '../reports/schemas.js';
import {
  categoryLabel, DASH, efficiencyLabel, fmtDateTime, fmtIndex, fmtMoney, fmtPct, fmtTarget, fmtValue, KIND_ID,
} from './format.js';
import type { Block, Cell, PrintDocument } from './model.js';

/** A submitted version: printed with its digest and how to verify it. `jwsUrl` answers the JWS as
 * JSON (the JWS itself holds the whole report, too long to print). */
export type SubmissionInfo = { version: number; digest: string; submittedAt: string; jwksUrl: string; jwsUrl?: string };

type Range = { min: number; max: number };
type Analysis = { causes?: string | null; supportingFactors?: string | null; inhibitingFactors?: string | null; solutions?: string | null };

/** Fields other parts of the service may add to a report indicator (ranged targets, analysis);
 * read defensively so a report without them prints the same. */
function extras(i: ReportIndicatorDto): { targetRange: Range | null; analysis: Analysis | null } {
  const x = i as unknown as { targetRange?: unknown; analysis?: unknown };
  const r = x.targetRange as Range | null | undefined;
  const a = x.analysis as Analysis | null | undefined;
  return {
    targetRange: r && typeof r.min === 'number' && typeof r.max === 'number' ? r : null,
    analysis: a && typeof a === 'object' ? a : null,
  };
}

const ANALYSIS_LABELS: ReadonlyArray<readonly [keyof Analysis, string]> = [
  ['causes', 'Penyebab keberhasilan/kegagalan'],
  ['supportingFactors', 'Faktor pendukung'],
  ['inhibitingFactors', 'Faktor penghambat'],
  ['solutions', 'Solusi/langkah antisipatif'],
];

const indicatorName = (i: ReportIndicatorDto): string[] => [`${i.code} ${i.name}`, ...(i.isKey ? ['(IKU)'] : [])];

function objectiveBlocks(o: ReportDto['objectives'][number], n: number, year: number): Block[] {
  const inds = o.indicators;
  const blocks: Block[] = [{ kind: 'heading', level: 3, text: `${n}. Sasaran ${o.element.code}: ${o.element.title}` }];
  if (!inds.length) return [...blocks, { kind: 'paragraph', text: 'Sasaran ini belum memiliki indikator.', style: 'note' }];
  blocks.push({
    kind: 'table',
    name: `capaian-${o.element.code}`,
    columns: [
      { label: 'No', width: 5 }, { label: 'Sasaran', width: 15 }, { label: 'Indikator', width: 24 }, { label: 'Satuan', width: 9 },
      { label: 'Target', width: 10, numeric: true }, { label: 'Realisasi', width: 11, numeric: true },
      { label: 'Capaian (%)', width: 10, numeric: true }, { label: 'Kategori', width: 13 },
    ],
    rows: inds.map((i, k) => [
      String(k + 1), k === 0 ? o.element.title : '', indicatorName(i), i.unit,
      fmtTarget({ target: i.target, targetRange: extras(i).targetRange }), fmtValue(i.realization), fmtPct(i.achievement), categoryLabel(i.category),
    ]),
  });
  blocks.push({
    kind: 'table',
    name: `triwulan-${o.element.code}`,
    columns: [{ label: 'Indikator', width: 24 }, ...['I', 'II', 'III', 'IV'].map((q) => ({ label: `Triwulan ${q} (T / R / C%)`, width: 19, numeric: true }))],
    rows: inds.map((i) => [
      i.code,
      ...i.quarters.map((q): Cell => [`T: ${fmtValue(q.target)}`, `R: ${fmtValue(q.realization)}`, `C: ${fmtPct(q.achievement)}`]),
    ]),
  });
  blocks.push({
    kind: 'table',
    name: `perbandingan-${o.element.code}`,
    columns: [
      { label: 'Indikator', width: 16 },
      ...[year - 2, year - 1].flatMap((y) => [{ label: `Realisasi ${y}`, width: 13, numeric: true }, { label: `Capaian ${y} (%)`, width: 12, numeric: true }]),
      { label: `Realisasi ${year}`, width: 13, numeric: true },
      { label: 'Target akhir Renstra', width: 13, numeric: true }, { label: 'Progres (%)', width: 11, numeric: true },
    ],
    rows: inds.map((i) => {
      const prev = [year - 2, year - 1].map((y) => i.previousYears.find((p) => p.year === y));
      return [
        i.code, ...prev.flatMap((p) => [fmtValue(p?.realization), fmtPct(p?.achievement)]),
        fmtValue(i.realization), fmtValue(i.planEndTarget), fmtPct(i.planProgress),
      ];
    }),
  });
  for (const i of inds) {
    const { analysis } = extras(i);
    const items = analysis ? ANALYSIS_LABELS.filter(([k]) => analysis[k]).map(([k, label]) => [label, String(analysis[k])] as const) : [];
    if (items.length) blocks.push({ kind: 'analysis', title: `Analisis capaian ${i.code} ${i.name}`, items });
  }
  return blocks;
}

export function reportDocument(report: ReportDto, submission?: SubmissionInfo): PrintDocument {
  const a = report.agency;
  const basis = report.targetBasis === 'agreement'
    ? `Perjanjian Kinerja versi ${report.agreementVersion ?? DASH} (ditandatangani)`
    : 'Target indikator (belum ada Perjanjian Kinerja yang ditandatangani)';
  const blocks: Block[] = [
    {
      kind: 'cover',
      title: 'LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP)',
      lines: [`Tahun ${report.year}`, a.name, KIND_ID[a.kind] ?? a.kind, 'BAB III — AKUNTABILITAS KINERJA'],
    },
    {
      kind: 'meta',
      rows: [
        ['Instansi', `${a.name} (${a.code})`],
        ['Tahun', String(report.year)],
        ['Dasar target', basis],
        ['Versi Perjanjian Kinerja', report.agreementVersion === undefined ? DASH : String(report.agreementVersion)],
        ['Dihitung pada', fmtDateTime(report.generatedAt)],
        ...(submission ? [
          ['Versi laporan', `${submission.version} (disampaikan ${fmtDateTime(submission.submittedAt)})`] as const,
          ['Digest SHA-256', submission.digest] as const,
        ] : []),
      ],
    },
  ];
  if (submission) {
    blocks.push(
      { kind: 'heading', level: 2, text: 'Keaslian dokumen' },
      {
        kind: 'paragraph',
        text: `Dokumen ini adalah salinan cetak versi ${submission.version} yang dibekukan dan ditandatangani secara elektronik (JWS, ES256). `
          + `Cara memeriksa: ambil JWS versi ini (bidang "jws"${submission.jwsUrl ? ` pada ${submission.jwsUrl} dengan Accept: application/json` : ''}), `
          + 'verifikasi tanda tangannya dengan kunci publik di '
          + `${submission.jwksUrl} (pilih kunci dengan "kid" pada header JWS), lalu hitung SHA-256 dari payload JWS; `
          + `hasilnya harus sama dengan digest ${submission.digest}.`,
      },
    );
  }

  blocks.push({ kind: 'heading', level: 2, text: 'A. Capaian Kinerja per Sasaran' });
  if (!report.objectives.length) blocks.push({ kind: 'paragraph', text: 'Tidak ada sasaran pada rencana strategis yang mencakup tahun ini.', style: 'note' });
  report.objectives.forEach((o, k) => blocks.push(...objectiveBlocks(o, k + 1, report.year)));

  blocks.push(
    { kind: 'heading', level: 2, text: 'B. Realisasi Anggaran dan Efisiensi' },
    {
      kind: 'table',
      name: 'anggaran',
      columns: [
        { label: 'Sasaran', width: 21 }, { label: 'Pagu (Rp)', width: 15, numeric: true }, { label: 'Realisasi (Rp)', width: 15, numeric: true },
        { label: 'Penyerapan (%)', width: 12, numeric: true }, { label: 'Indeks efisiensi', width: 11, numeric: true },
        { label: 'Kategori efisiensi', width: 14 },
      ],
      rows: report.objectives.map((o) => [
        `${o.element.code} ${o.element.title}`, fmtMoney(o.budget.allocated), fmtMoney(o.budget.realized), fmtPct(o.budget.absorption),
        fmtIndex(o.efficiency?.index), efficiencyLabel(o.efficiency?.category),
      ]),
    },
    {
      kind: 'paragraph', style: 'note',
      text: 'Indeks efisiensi = capaian sasaran (rata-rata capaian indikatornya) ÷ penyerapan anggaran; efisien bila ≥ 1, '
        + 'tidak dapat dihitung bila salah satu angka tidak ada atau penyerapan 0.',
    },
    { kind: 'heading', level: 2, text: 'C. Ringkasan Capaian' },
    {
      kind: 'table',
      name: 'ringkasan',
      columns: [{ label: 'Kategori', width: 60 }, { label: 'Jumlah indikator', width: 40, numeric: true }],
      rows: CATEGORIES.map((c) => [categoryLabel(c), String(report.summary.byCategory[c] ?? 0)]),
      footer: ['Jumlah', String(report.summary.indicators)],
    },
    { kind: 'meta', rows: [['Rata-rata capaian (%)', fmtPct(report.summary.meanAchievement)]] },
  );

  return {
    title: `LKjIP ${report.year} — ${a.name}`,
    footer: `LKjIP ${a.code} ${report.year}${submission ? ` · versi ${submission.version}` : ''} · angka dalam format Indonesia (1.234,56)`,
    blocks,
  };
}
