import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, uniq, type Json, type TestApp } from '../helpers/app.js';
import { EVIL, seedPrintable } from '../helpers/printing-fixtures.js';

let t: TestApp;
let agency: Json;
let report: Json;
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
const id = (n: number | null, digits: [number, number] = [2, 2]) =>
  (n === null ? '–' : new Intl.NumberFormat('id-ID', { minimumFractionDigits: digits[0], maximumFractionDigits: digits[1] }).format(n));

beforeAll(async () => {
  t = await createTestApp();
  ({ agency } = await seedPrintable(t, uniq('PRN')));
  report = (await t.admin.get(`/v1/agencies/${agency.id}/reports/2025`)).json();
});
afterAll(async () => t?.close());

const reportUrl = () => `/v1/agencies/${agency.id}/reports/2025`;

describe('efficiency per objective (DOMAIN.md "Efficiency")', () => {
  it('answers the published cases exactly in the JSON', () => {
    const eff = Object.fromEntries(report.objectives.map((o: Json) => [o.element.code, o.efficiency]));
    expect(eff).toEqual({
      'S.1': { index: 1.108, category: 'efficient' }, // mean(100.83, 107.50) = 104.17; / 94.00
      'S.2': { index: 1.063, category: 'efficient' }, // 99.92 / 94.00
      'S.3': { index: 1.008, category: 'efficient' }, // 100.00 / 99.21
    });
    expect(report.objectives.map((o: Json) => o.budget.absorption)).toEqual([94, 94, 99.21]);
  });

  it('gives the same figures in the CSV, on each indicator row of the objective', async () => {
    const res = await t.admin.get(reportUrl(), { accept: 'text/csv' });
    const [header, ...rows] = res.body.slice(1).trim().split('\r\n').map((l) => l.split(','));
    const at = (row: string[], col: string) => row[header.indexOf(col)];
    expect(rows.map((r) => [at(r, 'indicator_code'), at(r, 'efficiency_index'), at(r, 'efficiency_category')])).toEqual([
      ['IK1.1', '1.108', 'efficient'], ['IK1.2', '1.108', 'efficient'], ['IK2.1', '1.063', 'efficient'], ['IK3.1', '1.008', 'efficient'],
    ]);
  });
});

describe('content negotiation', () => {
  it('is 406 (a problem) for an Accept a route cannot produce', async () => {
    for (const [url, accept] of [[reportUrl(), 'application/xml'], ['/v1/agencies', 'text/csv'], ['/v1/agencies', 'text/html'],
      [`/v1/agencies/${agency.id}/reports/2025/submissions`, 'application/pdf'], [reportUrl(), 'application/json;q=0, text/csv;q=0']]) {
      const res = await t.admin.get(url, { accept });
      expect(res.statusCode, `${url} ${accept}`).toBe(406);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ type: '/problems/not-acceptable', status: 406, title: 'Not acceptable' });
    }
  });

  it('keeps JSON for */*, application/*, problem+json, no Accept and browsers on JSON-only routes', async () => {
    for (const accept of ['*/*', 'application/*', 'application/problem+json', 'application/json, application/problem+json', '',
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8']) {
      const res = await t.admin.get(`/v1/agencies/${agency.id}`, accept ? { accept } : {});
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers['content-type'], accept).toMatch(/^application\/json/);
    }
    expect((await t.admin.get(reportUrl(), { accept: 'text/html;q=0, */*' })).headers['content-type']).toMatch(/^application\/json/);
    expect((await t.admin.get(reportUrl(), { accept: 'application/json;q=0.5, application/pdf' })).headers['content-type']).toBe('application/pdf');
  });

  it('asks for a token before it negotiates, and answers problems as JSON whatever was asked', async () => {
    expect((await t.anonymous.get(reportUrl(), { accept: 'text/html' })).statusCode).toBe(401);
    const missing = await t.admin.get('/v1/agencies/01900000-0000-7000-8000-000000000000/reports/2025', { accept: 'application/pdf' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('printable LKjIP', () => {
  it('answers HTML in Indonesian, every name escaped, no script, with a strict CSP', async () => {
    const res = await t.admin.get(reportUrl(), { accept: 'text/html' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers.etag).toBeTruthy();
    const page = res.body;
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(page).toContain('Meningkatnya derajat kesehatan &lt;b&gt;masyarakat&lt;/b&gt;');
    for (const text of ['LAPORAN KINERJA INSTANSI PEMERINTAH', 'Sasaran', 'Indikator', 'Satuan', 'Realisasi', 'Capaian (%)', 'Kategori',
      'Perjanjian Kinerja versi 1', '100,83', '107,50', '1.250.000.000', '1.175.000.000', '94,00', '1,108', '1,063', '1,008', 'Efisien',
      'Sangat tinggi', 'counter(page)', '@page', 'size: A4', 'Realisasi 2024', 'Target akhir Renstra']) {
      expect(page, text).toContain(text);
    }
  });

  it('answers a PDF of real text with the same figures and page numbers', async () => {
    const res = await t.admin.get(reportUrl(), { accept: 'application/pdf' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="lkjip-${agency.code}-2025.pdf"`);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(res.rawPayload);
    expect(text).toContain(EVIL);
    for (const o of report.objectives) {
      expect(text).toContain(id(o.budget.absorption));
      expect(text).toContain(id(o.efficiency.index, [3, 3]));
      for (const i of o.indicators) {
        for (const figure of [id(i.target, [0, 4]), id(i.realization, [0, 4]), id(i.achievement)]) expect(text, `${i.code} ${figure}`).toContain(figure);
      }
    }
    expect(text).toMatch(/Halaman 1 dari \d+/);
  });
});

describe('printable Perjanjian Kinerja', () => {
  const url = () => `/v1/agencies/${agency.id}/agreements/2025`;

  it('prints the current version (a draft) marked DRAFT, and a given signed version with signer and date', async () => {
    const draft = await t.admin.get(url(), { accept: 'text/html' });
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain('class="draft"');
    expect(draft.body).toContain('Versi 2 — DRAFT');
    expect(draft.body).toContain('1.300.000.000,5');
    const signed = await t.admin.get(`${url()}?version=1`, { accept: 'text/html' });
    expect(signed.statusCode).toBe(200);
    expect(signed.body).not.toContain('class="draft"');
    expect(signed.body).not.toMatch(/<script/i);
    for (const text of ['PERJANJIAN KINERJA TAHUN 2025', 'dr. Budi Santoso &lt;script&gt;', 'Ditandatangani', '72,5', '1.250.000.000', 'Anggaran per Program', 'P.1 Program pemenuhan upaya kesehatan']) {
      expect(signed.body, text).toContain(text);
    }
  });

  it('prints PDFs with the same items, and DRAFT on the unsigned one', async () => {
    const signed = pdfText((await t.admin.get(`${url()}?version=1`, { accept: 'application/pdf' })).rawPayload);
    expect(signed).toContain('PERJANJIAN KINERJA TAHUN 2025');
    expect(signed).toContain(`dr. Budi Santoso ${EVIL}`);
    expect(signed).toMatch(/IK1\.1 Angka harapan hidup[\s\S]*72,5/);
    expect(signed).toContain('1.250.000.100'); // the total of the budget lines
    expect(signed).not.toContain('DRAFT');
    const draft = pdfText((await t.admin.get(url(), { accept: 'application/pdf' })).rawPayload);
    expect(draft).toContain('DRAFT');
  });

  it('answers ?version= in JSON too, 404 for a version that does not exist', async () => {
    const v1 = await t.admin.get(`${url()}?version=1`);
    expect(v1.json()).toMatchObject({ version: 1, status: 'signed' });
    expect((await t.admin.get(url())).json()).toMatchObject({ version: 2, status: 'draft' });
    for (const accept of ['application/json', 'text/html', 'application/pdf']) {
      expect((await t.admin.get(`${url()}?version=3`, { accept })).statusCode).toBe(404);
    }
    expect((await t.admin.get(`${url()}?version=0`)).statusCode).toBe(400);
  });
});

describe('printable submission', () => {
  it('prints the frozen version with its digest and how to verify the JWS', async () => {
    const sub = await t.admin.post(`/v1/agencies/${agency.id}/reports/2025/submissions`);
    expect(sub.statusCode).toBe(201);
    const { digest } = sub.json();
    const page = await t.admin.get(`/v1/agencies/${agency.id}/reports/2025/submissions/1`, { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(digest);
    expect(page.body).toContain('/public/jwks.json');
    expect(page.body).toContain('1,063');
    const pdf = await t.admin.get(`/v1/agencies/${agency.id}/reports/2025/submissions/1`, { accept: 'application/pdf' });
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    expect(text).toContain(digest);
    expect((await t.admin.get(`/v1/agencies/${agency.id}/reports/2025/submissions/1`)).json().digest).toBe(digest);
  });
});
