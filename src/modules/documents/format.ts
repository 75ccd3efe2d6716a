/**
 * Indonesian presentation of report figures: numbers as `1.234,56` (Intl id-ID with fixed
 * decimals), category names, dates. Pure; shared by the HTML and the PDF renderers so both print
 * exactly the same strings.
 */
import type { Category } from '../../domain/achievement.js';
import type { EfficiencyCategory } from '../../domain/efficiency.js';

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(min: number, max: number): Intl.NumberFormat {
  const key = `${min}:${max}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat('id-ID', { minimumFractionDigits: min, maximumFractionDigits: max, useGrouping: true })));
  return f;
}

export const DASH = '–';

/** A percent or other 2-decimal figure: `92,19`; `–` for null. */
export const fmtPct = (n: number | null | undefined) => (n == null ? DASH : formatter(2, 2).format(n));
/** A measured value or target as given (up to 4 decimals): `1.234,5`; `–` for null. */
export const fmtValue = (n: number | null | undefined) => (n == null ? DASH : formatter(0, 4).format(n));
/** Money in rupiah, whole where whole: `1.250.000.000` (cents shown only when present). */
export const fmtMoney = (n: number | null | undefined) => (n == null ? DASH : formatter(0, 2).format(n));
/** The efficiency index with its 3 decimals: `1,063`. */
export const fmtIndex = (n: number | null | undefined) => (n == null ? DASH : formatter(3, 3).format(n));

type Ranged = { target: number | null; targetRange?: { min: number; max: number } | null };
/** A target, or a ranged target as `80–90` (DOMAIN.md "Ranged targets"). */
export const fmtTarget = (t: Ranged) => (t.targetRange ? `${fmtValue(t.targetRange.min)}–${fmtValue(t.targetRange.max)}` : fmtValue(t.target));

export const CATEGORY_ID: Record<Category, string> = {
  very_high: 'Sangat tinggi',
  high: 'Tinggi',
  medium: 'Sedang',
  low: 'Rendah',
  very_low: 'Sangat rendah',
  not_computable: 'Tidak dapat dihitung',
  no_data: 'Tidak ada data',
};

export const EFFICIENCY_ID: Record<EfficiencyCategory, string> = {
  efficient: 'Efisien',
  inefficient: 'Tidak efisien',
  not_computable: 'Tidak dapat dihitung',
};

export const categoryLabel = (c: string) => CATEGORY_ID[c as Category] ?? c;
export const efficiencyLabel = (c: string | undefined) => (c ? EFFICIENCY_ID[c as EfficiencyCategory] ?? c : DASH);

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
/** An RFC 3339 instant as an Indonesian date in WIB (UTC+7): `4 Desember 2026`. */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
/** With the time: `4 Desember 2026 21.05 WIB`. */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${fmtDate(iso)} ${p(d.getUTCHours())}.${p(d.getUTCMinutes())} WIB`;
}

export const KIND_ID: Record<string, string> = {
  national: 'Pemerintah Pusat', ministry: 'Kementerian', institution: 'Lembaga', province: 'Pemerintah Provinsi',
  regency: 'Pemerintah Kabupaten', city: 'Pemerintah Kota', department: 'Perangkat Daerah', unit: 'Unit Kerja',
};

export const LEVEL_ID: Record<string, string> = {
  goal: 'Tujuan', objective: 'Sasaran', program: 'Program', activity: 'Kegiatan', sub_activity: 'Sub Kegiatan',
};
