/**
 * The printable pages in a real browser: Debian's headless Chromium (driven by playwright-core)
 * opens the LKjIP and the Perjanjian Kinerja served by the app on a random port, finds every
 * indicator's figures in the right table cells, and saves screenshots to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, uniq, type Json, type TestApp } from '../helpers/app.js';
import { EVIL, seedPrintable } from '../helpers/printing-fixtures.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts';

let t: TestApp;
let browser: Browser;
let base: string;
let agency: Json;
let report: Json;

const fmt = (n: number | null, min = 2, max = 2) =>
  (n === null ? '–' : new Intl.NumberFormat('id-ID', { minimumFractionDigits: min, maximumFractionDigits: max }).format(n));
const value = (n: number | null) => fmt(n, 0, 4);
const CATEGORY: Record<string, string> = { very_high: 'Sangat tinggi', high: 'Tinggi', medium: 'Sedang', low: 'Rendah', very_low: 'Sangat rendah', not_computable: 'Tidak dapat dihitung', no_data: 'Tidak ada data' };

type Table = { name: string; head: string[]; rows: string[][] };

/** Every table of the page as its header texts and the rendered text of each body cell. */
const tables = (page: Page): Promise<Record<string, Table>> => page.$$eval('table', (els) => Object.fromEntries(els.map((el) => {
  const name = el.getAttribute('data-table') ?? '';
  const text = (c: Element) => (c as HTMLElement).innerText.trim();
  return [name, { name, head: [...el.querySelectorAll('thead th')].map(text), rows: [...el.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map(text)) }];
})));

/** The cell of the row whose `key` column starts with `rowKey`, in the column headed `column`. */
function cell(table: Table | undefined, key: string, rowKey: string, column: string): string | undefined {
  expect(table, 'table present').toBeDefined();
  const k = table!.head.indexOf(key);
  const c = table!.head.indexOf(column);
  expect(c, `column ${column} in ${table!.name}`).toBeGreaterThanOrEqual(0);
  return table!.rows.find((r) => r[k]?.startsWith(rowKey))?.[c];
}

async function open(path: string, shot: string): Promise<Page> {
  const page = await browser.newPage({ extraHTTPHeaders: { authorization: `Bearer ${t.admin.token}` } });
  const res = await page.goto(`${base}${path}`);
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-type']).toBe('text/html; charset=utf-8');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${shot}.png`, fullPage: true });
  // Names holding a <script> are text: nothing ran.
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  return page;
}

beforeAll(async () => {
  t = await createTestApp();
  ({ agency } = await seedPrintable(t, uniq('BRW')));
  report = (await t.admin.get(`/v1/agencies/${agency.id}/reports/2025`)).json();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the LKjIP in headless Chromium', () => {
  it('shows every indicator\'s figures in the right cells, and the budget with efficiency', async () => {
    const page = await open(`/v1/agencies/${agency.id}/reports/2025`, 'lkjip');
    expect(await page.locator('h1').innerText()).toContain('LAPORAN KINERJA INSTANSI PEMERINTAH');
    expect(await page.locator('header.cover').innerText()).toContain(`Dinas Kesehatan ${EVIL}`);
    const all = await tables(page);
    for (const o of report.objectives) {
      const main = all[`capaian-${o.element.code}`];
      const quarters = all[`triwulan-${o.element.code}`];
      const history = all[`perbandingan-${o.element.code}`];
      for (const i of o.indicators) {
        const at = (column: string) => cell(main, 'Indikator', i.code, column);
        expect(at('Indikator')).toContain(i.name);
        expect(at('Satuan')).toBe(i.unit);
        expect(at('Target')).toBe(value(i.target));
        expect(at('Realisasi')).toBe(value(i.realization));
        expect(at('Capaian (%)')).toBe(fmt(i.achievement));
        expect(at('Kategori')).toBe(CATEGORY[i.category]);
        i.quarters.forEach((q: Json, n: number) => {
          const text = cell(quarters, 'Indikator', i.code, `Triwulan ${['I', 'II', 'III', 'IV'][n]} (T / R / C%)`);
          expect(text?.split('\n')).toEqual([`T: ${value(q.target)}`, `R: ${value(q.realization)}`, `C: ${fmt(q.achievement)}`]);
        });
        for (const p of i.previousYears) {
          expect(cell(history, 'Indikator', i.code, `Realisasi ${p.year}`)).toBe(value(p.realization));
          expect(cell(history, 'Indikator', i.code, `Capaian ${p.year} (%)`)).toBe(fmt(p.achievement));
        }
        expect(cell(history, 'Indikator', i.code, 'Target akhir Renstra')).toBe(value(i.planEndTarget));
        expect(cell(history, 'Indikator', i.code, 'Progres (%)')).toBe(fmt(i.planProgress));
      }
      const budget = (column: string) => cell(all.anggaran, 'Sasaran', `${o.element.code} `, column);
      expect(budget('Pagu (Rp)')).toBe(fmt(o.budget.allocated, 0, 2));
      expect(budget('Realisasi (Rp)')).toBe(fmt(o.budget.realized, 0, 2));
      expect(budget('Penyerapan (%)')).toBe(fmt(o.budget.absorption));
      expect(budget('Indeks efisiensi')).toBe(fmt(o.efficiency.index, 3, 3));
      expect(budget('Kategori efisiensi')).toBe('Efisien');
    }
    expect(cell(all.anggaran, 'Sasaran', 'S.2 ', 'Indeks efisiensi')).toBe('1,063');
    expect(cell(all.anggaran, 'Sasaran', 'S.3 ', 'Indeks efisiensi')).toBe('1,008');
    expect(cell(all.ringkasan, 'Kategori', 'Sangat tinggi', 'Jumlah indikator')).toBe(String(report.summary.byCategory.very_high));
    await page.close();
  });
});

describe('the Perjanjian Kinerja in headless Chromium', () => {
  it('shows the signed version\'s items, targets, budget and signer', async () => {
    const page = await open(`/v1/agencies/${agency.id}/agreements/2025?version=1`, 'perjanjian-kinerja-v1');
    const all = await tables(page);
    const [ik1, ik2] = report.objectives[0].indicators;
    expect(cell(all.target, 'Indikator Kinerja', 'IK1.1', 'Target')).toBe('72,5');
    expect(cell(all.target, 'Indikator Kinerja', 'IK1.1', 'Satuan')).toBe(ik1.unit);
    expect(cell(all.target, 'Indikator Kinerja', 'IK1.2', 'Target')).toBe(value(ik2.target));
    expect(cell(all.anggaran, 'Program/Kegiatan', 'P.1 ', 'Anggaran (Rp)')).toBe('1.250.000.000');
    expect(await page.locator('.signature').innerText()).toContain(`dr. Budi Santoso ${EVIL}`);
    expect(await page.locator('.draft').count()).toBe(0);
    await page.close();
  });

  it('marks the unsigned current version DRAFT', async () => {
    const page = await open(`/v1/agencies/${agency.id}/agreements/2025`, 'perjanjian-kinerja-draft');
    expect(await page.locator('.draft').isVisible()).toBe(true);
    expect(cell((await tables(page)).target, 'Indikator Kinerja', 'IK1.1', 'Target')).toBe('73');
    await page.close();
  });
});
