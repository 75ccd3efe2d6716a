import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../src/modules/documents/html.js';
import { fmtDate, fmtDateTime, fmtIndex, fmtMoney, fmtPct, fmtTarget, fmtValue } from '../../src/modules/documents/format.js';
import { renderHtml } from '../../src/modules/documents/render-html.js';
import { renderPdf, winAnsi } from '../../src/modules/documents/render-pdf.js';
import { reportDocument } from '../../src/modules/documents/report-doc.js';
import type { ReportDto } from '../../src/modules/reports/schemas.js';

describe('Indonesian number and date format', () => {
  it.each([
    [fmtPct(1234.56), '1.234,56'], [fmtPct(92.1), '92,10'], [fmtPct(0), '0,00'], [fmtPct(null), '–'],
    [fmtValue(1234567.5), '1.234.567,5'], [fmtValue(0.0003), '0,0003'], [fmtValue(80), '80'],
    [fmtMoney(1250000000), '1.250.000.000'], [fmtMoney(10.5), '10,5'],
    [fmtIndex(1.063), '1,063'], [fmtIndex(1), '1,000'], [fmtIndex(null), '–'],
    [fmtTarget({ target: null, targetRange: { min: 80, max: 90 } }), '80–90'],
    [fmtTarget({ target: 7.5 }), '7,5'], [fmtTarget({ target: null, targetRange: null }), '–'],
    [fmtDate('2025-12-31T17:30:00Z'), '1 Januari 2026'], // WIB is UTC+7
    [fmtDateTime('2026-03-04T02:05:00Z'), '4 Maret 2026 09.05 WIB'],
  ])('%s is %s', (got, want) => expect(got).toBe(want));
});

describe('HTML templates', () => {
  it('escape every interpolated value, and only nest what they built themselves', () => {
    const name = '<script>alert("x")</script> & \'y\'';
    expect(html`<td>${name}</td>`.value).toBe('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</td>');
    expect(html`<tr>${[html`<td>${'<b>'}</td>`, '<i>']}</tr>`.value).toBe('<tr><td>&lt;b&gt;</td>&lt;i&gt;</tr>');
    expect(escapeHtml('"><img src=x onerror=alert(1)>')).not.toContain('<');
  });
});

describe('PDF text', () => {
  it('keeps Windows-1252 text and replaces what the standard fonts cannot show', () => {
    expect(winAnsi('Capaian ≥ 91 – “sangat tinggi” ÷ é')).toBe('Capaian >= 91 – “sangat tinggi” ÷ é');
    expect(winAnsi('漢字\u0007')).toBe('?? ');
  });
});

/** A report as other parts of the service extend it: a ranged target and an analysis. */
function reportWithExtras(): ReportDto {
  const indicator = {
    indicatorId: '01900000-0000-7000-8000-000000000001', code: 'IK.1', name: 'Persentase <img src=x onerror=alert(1)>', type: 'outcome',
    unit: '%', polarity: 'higher_is_better', aggregation: 'last', isKey: true, target: null, targetRange: { min: 80, max: 90 },
    realization: 85, achievement: 100, category: 'very_high',
    quarters: ['2025Q1', '2025Q2', '2025Q3', '2025Q4'].map((period) => ({ period, target: null, realization: null, achievement: null })),
    previousYears: [{ year: 2024, realization: null, achievement: null }, { year: 2023, realization: null, achievement: null }],
    planEndTarget: null, planProgress: null,
    analysis: { causes: 'Koordinasi <lintas> sektor', supportingFactors: 'Anggaran cukup', inhibitingFactors: null, solutions: 'Pendampingan' },
  };
  return {
    agency: { id: '01900000-0000-7000-8000-000000000002', code: 'DINKES', name: 'Dinas Kesehatan', kind: 'department' },
    year: 2025, generatedAt: '2026-01-10T03:00:00.000Z', targetBasis: 'indicators',
    summary: { indicators: 1, byCategory: { very_high: 1, high: 0, medium: 0, low: 0, very_low: 0, not_computable: 0, no_data: 0 }, meanAchievement: 100 },
    objectives: [{
      element: { id: '01900000-0000-7000-8000-000000000003', planId: '01900000-0000-7000-8000-000000000004', parentId: null, level: 'objective', code: 'S.1', title: 'Sasaran satu', supports: [] },
      indicators: [indicator as unknown as ReportDto['objectives'][number]['indicators'][number]],
      budget: { allocated: 1000, realized: 940, absorption: 94 },
      efficiency: { index: 1.064, category: 'efficient' },
    }],
  };
}

describe('the printable LKjIP', () => {
  it('prints ranged targets as 80–90 and the analysis text, escaped', () => {
    const page = renderHtml(reportDocument(reportWithExtras()));
    expect(page).toContain('<td class="num">80–90</td>');
    expect(page).toContain('Koordinasi &lt;lintas&gt; sektor');
    expect(page).toContain('Faktor pendukung');
    expect(page).not.toContain('Faktor penghambat'); // null: left out
    expect(page).not.toContain('<img');
  });

  it('prints the same in the PDF', async () => {
    const pdf = await renderPdf(reportDocument(reportWithExtras(), { version: 2, digest: 'ab'.repeat(32), submittedAt: '2026-01-10T03:00:00.000Z', jwksUrl: 'https://x.test/public/jwks.json' }));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
    for (const s of ['80–90', 'Koordinasi <lintas> sektor', '1,064']) expect(text, s).toContain(s);
    expect(text).toMatch(/Halaman 1 dari \d/);
    // long tokens may wrap at the cell edge
    for (const s of ['ab'.repeat(32), 'https://x.test/public/jwks.json']) expect(text.replace(/\s+/g, ''), s).toContain(s);
  });

  it('tolerates a report without the added fields and a snapshot without efficiency', () => {
    const r = reportWithExtras();
    const o = r.objectives[0] as unknown as Record<string, unknown>;
    delete o.efficiency;
    const i = r.objectives[0].indicators[0] as unknown as Record<string, unknown>;
    delete i.targetRange;
    delete i.analysis;
    i.target = 80;
    const page = renderHtml(reportDocument(r));
    expect(page).toContain('<td class="num">80</td>');
    expect(page).not.toContain('Analisis capaian');
  });
});
