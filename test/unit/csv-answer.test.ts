import { describe, expect, it } from 'vitest';
import { csvField, csvLine, delimiterOf } from '../../src/http/csv.js';
import { readCsv } from '../../src/modules/batch/csv.js';

describe('CSV answers', () => {
  it.each([
    [',', 'a;b', 'a;b'], [';', 'a;b', '"a;b"'], [',', 'a,b', '"a,b"'], [';', 'a,b', 'a,b'],
    [',', 'say "hi"', '"say ""hi"""'], [';', 'two\r\nlines', '"two\r\nlines"'], [',', ' edge', '" edge"'], [';', null, ''], [',', 12.5, '12.5'],
  ] as const)('with %j quotes %j as %j', (d, v, out) => expect(csvField(v, d)).toBe(out));

  it('takes the delimiter from the query', () => {
    expect(delimiterOf({ delimiter: 'semicolon' })).toBe(';');
    expect(delimiterOf({ delimiter: 'comma' })).toBe(',');
    expect(delimiterOf({})).toBe(',');
  });

  it('writes what the batch reader reads back, with either delimiter', () => {
    const columns = [{ name: 'code' }, { name: 'title', raw: true }, { name: 'value', decimal: true }];
    for (const d of [',', ';'] as const) {
      const text = csvLine(['code', 'title', 'value'], d) + csvLine(['A;1', ' Judul, "utama" ', 12.5], d) + csvLine(['B', 'dua\r\nbaris', -3], d);
      expect(readCsv(text, columns)).toEqual({
        delimiter: d,
        records: [{ line: 2, values: ['A;1', ' Judul, "utama" ', '12.5'] }, { line: 3, values: ['B', 'dua\r\nbaris', '-3'] }],
      });
    }
  });
});

describe('readCsv', () => {
  const columns = [{ name: 'agency_code' }, { name: 'period' }, { name: 'value', decimal: true }, { name: 'note', optional: true, raw: true }];
  it.each([
    ['agency_code;period;value\n\nA;2025;12,5\n', ';', [{ line: 3, values: ['A', '2025', '12.5', ''] }]],
    ['\uFEFFvalue,period,agency_code,note\r\n1.5,2025,A, x \r\n', ',', [{ line: 2, values: ['A', '2025', '1.5', ' x '] }]],
    ['\r\n\r\nagency_code;period;value\r\nA;2025;-0,25\r\n', ';', [{ line: 4, values: ['A', '2025', '-0.25', ''] }]],
    ['agency_code;period;value\rA;2025;1\r', ';', [{ line: 2, values: ['A', '2025', '1', ''] }]], // bare CR: read by csv-parse
  ])('reads %j', (text, delimiter, records) => expect(readCsv(text, columns)).toEqual({ delimiter, records }));

  it('rejects a record, not the file, for a decimal comma in a ,-file or a wrong field count', () => {
    const { records } = readCsv('agency_code,period,value\nA,2025,"1,5"\nB,2025\n', columns);
    expect(records[0]).toMatchObject({ line: 2, error: expect.stringMatching(/ambiguous/) });
    expect(records[1]).toMatchObject({ line: 3, error: expect.stringMatching(/expected 3 fields, got 2/) });
  });

  it('refuses a wrong header, an empty file and broken quoting with 400 problems', () => {
    expect(() => readCsv('agency_code;period\n', columns)).toThrow(/semicolon \(;\).*missing value/);
    expect(() => readCsv('agency_code,period,value,value\n', columns)).toThrow(/repeated value/);
    expect(() => readCsv('\n\n', columns)).toThrow(/empty/);
    expect(() => readCsv('agency_code,period,value\n"A,2025,1\n', columns)).toThrow(/cannot be read/);
  });
});
