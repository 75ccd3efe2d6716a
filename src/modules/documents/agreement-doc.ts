/**
 * The Perjanjian Kinerja (performance agreement) of an agency-year as a printable document: the
 * agreement text, its items grouped by objective with their targets (ranges as `80–90`), the budget
 * per program, signer and date; an unsigned version is marked DRAFT.
 */
import { DASH, fmtDate, fmtMoney, fmtTarget, KIND_ID, LEVEL_ID } from './format.js';
import type { Block, PrintDocument } from './model.js';

export type AgreementDocumentData = {
  agency: { id: string; code: string; name: string; kind: string };
  year: number;
  version: number;
  status: 'draft' | 'signed';
  signedBy: string | null;
  signedAt: string | null;
  items: Array<{
    indicatorId: string; code: string; name: string; unit: string; objectiveCode: string; objectiveTitle: string;
    target: number | null; targetRange: { min: number; max: number } | null;
  }>;
  budget: Array<{ elementId: string; code: string; title: string; level: string; amount: number }>;
};

const collator = new Intl.Collator('en', { numeric: true });

export function agreementDocument(d: AgreementDocumentData): PrintDocument {
  const signed = d.status === 'signed';
  const items = [...d.items].sort((a, b) => collator.compare(a.objectiveCode, b.objectiveCode) || collator.compare(a.code, b.code));
  const budget = [...d.budget].sort((a, b) => collator.compare(a.code, b.code));
  const total = budget.reduce((s, b) => s + Math.round(b.amount * 10_000), 0) / 10_000; // 4-place amounts summed as integers
  const blocks: Block[] = [
    {
      kind: 'cover',
      title: `PERJANJIAN KINERJA TAHUN ${d.year}`,
      lines: [d.agency.name, KIND_ID[d.agency.kind] ?? d.agency.kind, `Versi ${d.version}${signed ? '' : ' — DRAFT (belum ditandatangani)'}`],
    },
    ...(signed ? [] : [{ kind: 'paragraph', style: 'draft', text: 'DRAFT — versi ini belum ditandatangani dan belum berlaku.' } as Block]),
    {
      kind: 'paragraph',
      text: 'Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel serta berorientasi pada hasil, '
        + `kami yang bertanda tangan di bawah ini, atas nama ${d.agency.name}, berjanji akan mewujudkan target kinerja tahun ${d.year} `
        + 'sebagaimana tercantum dalam lampiran perjanjian ini, dalam rangka mencapai target kinerja jangka menengah seperti yang telah '
        + 'ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab kami.',
    },
    {
      kind: 'meta',
      rows: [
        ['Instansi', `${d.agency.name} (${d.agency.code})`],
        ['Tahun', String(d.year)],
        ['Versi', String(d.version)],
        ['Status', signed ? 'Ditandatangani' : 'Draft (belum ditandatangani)'],
        ['Ditandatangani oleh', d.signedBy ?? DASH],
        ['Tanggal', signed ? fmtDate(d.signedAt) : DASH],
      ],
    },
    { kind: 'heading', level: 2, text: 'Lampiran: Sasaran, Indikator Kinerja dan Target' },
    items.length ? {
      kind: 'table',
      name: 'target',
      columns: [
        { label: 'No', width: 5 }, { label: 'Sasaran', width: 30 }, { label: 'Indikator Kinerja', width: 35 },
        { label: 'Satuan', width: 12 }, { label: 'Target', width: 15, numeric: true },
      ],
      rows: items.map((it, k) => [
        String(k + 1),
        k > 0 && items[k - 1].objectiveCode === it.objectiveCode ? '' : `${it.objectiveCode} ${it.objectiveTitle}`,
        `${it.code} ${it.name}`, it.unit, fmtTarget(it),
      ]),
    } : { kind: 'paragraph', style: 'note', text: 'Perjanjian ini belum memuat indikator.' },
    { kind: 'heading', level: 2, text: 'Anggaran per Program' },
    budget.length ? {
      kind: 'table',
      name: 'anggaran',
      columns: [{ label: 'No', width: 5 }, { label: 'Program/Kegiatan', width: 60 }, { label: 'Tingkat', width: 15 }, { label: 'Anggaran (Rp)', width: 20, numeric: true }],
      rows: budget.map((b, k) => [String(k + 1), `${b.code} ${b.title}`, LEVEL_ID[b.level] ?? b.level, fmtMoney(b.amount)]),
      footer: ['', 'Jumlah', '', fmtMoney(total)],
    } : { kind: 'paragraph', style: 'note', text: 'Perjanjian ini tidak memuat anggaran.' },
    {
      kind: 'signature',
      left: ['Pihak Kedua,', 'Atasan langsung', '(................................)'],
      right: [signed ? `${fmtDate(d.signedAt)}` : 'Tanggal: ...................', 'Pihak Pertama,', d.signedBy ?? '(belum ditandatangani)'],
    },
  ];
  return {
    title: `Perjanjian Kinerja ${d.year} — ${d.agency.name}`,
    draft: !signed,
    footer: `Perjanjian Kinerja ${d.agency.code} ${d.year} · versi ${d.version}${signed ? '' : ' · DRAFT'}`,
    blocks,
  };
}
