import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { readCsvFast } from '../../src/modules/measurements/csv-fast.js';

/** The options parseCsvBatch gives csv-parse (without its per-record callback). */
const reference = (text: string): { records?: string[][]; error?: true } => {
  try {
    return { records: parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false }) as string[][] };
  } catch {
    return { error: true };
  }
};
const fast = (text: string): string[][] | null => {
  const records: string[][] = [];
  return readCsvFast(text, (f) => records.push(f)) ? records : null;
};

/** Whenever the fast reader answers, it answers exactly what csv-parse does. */
const agrees = (text: string) => {
  const got = fast(text);
  if (got === null) return;
  expect(reference(text)).toEqual({ records: got });
};

const field = fc.stringMatching(/^[a-zé ,"\n\r;\t0-9.-]{0,6}$/);
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

describe('readCsvFast', () => {
  it('matches csv-parse on arbitrary text built from the characters that matter', () => {
    const chars = fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r', '\r\n', '\uFEFF', 'é', '1', '.');
    fc.assert(fc.property(fc.array(chars, { maxLength: 40 }), (cs) => agrees(cs.join(''))), { numRuns: 20_000 });
  });

  it('reads well-formed files (quoted commas, quotes and line breaks, BOM, LF or CRLF, empty lines) exactly like csv-parse', () => {
    const file = fc.record({
      records: fc.array(fc.array(fc.record({ value: field, quoted: fc.boolean() }), { minLength: 1, maxLength: 6 }), { maxLength: 8 }),
      eol: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(),
      trailing: fc.boolean(),
      emptyLines: fc.array(fc.nat(8), { maxLength: 3 }),
    });
    fc.assert(fc.property(file, ({ records, eol, bom, trailing, emptyLines }) => {
      const lines = records.map((r) => r.map(({ value, quoted }) => (quoted || /[",\r\n]/.test(value) ? quote(value) : value)).join(','));
      for (const at of emptyLines) lines.splice(Math.min(at, lines.length), 0, '');
      const text = (bom ? '\uFEFF' : '') + lines.join(eol) + (trailing && lines.length ? eol : '');
      const got = fast(text);
      expect(got).not.toBeNull(); // the fast path covers every well-formed file
      expect(reference(text)).toEqual({ records: got });
    }), { numRuns: 5_000 });
  });

  it('reads the edge cases csv-parse reads, and leaves the others to it', () => {
    for (const text of ['', '\n\n', 'a,b,', 'a,b,\n', '""', '"a""b",c\r\n"x\ny",z', '\uFEFFa\nb', ',\n,,']) agrees(text);
    expect(fast('a,"b\n')).toBeNull(); // unclosed quote
    expect(fast('a,b"c\n')).toBeNull(); // quote inside a field
    expect(fast('"a"b,c\n')).toBeNull(); // text after a closing quote
    expect(fast('a\rb\r')).toBeNull(); // bare CR line breaks
    expect(fast('a\r\nb\nc')).toBeNull(); // mixed line breaks
  });
});
