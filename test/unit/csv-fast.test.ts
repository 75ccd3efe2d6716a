import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { readCsvFast } from '../../src/modules/batch/csv-fast.js';

type Delimiter = ',' | ';';
/** The options readCsv gives csv-parse (without its per-record callback). */
const reference = (text: string, delimiter: Delimiter): { records?: string[][]; error?: true } => {
  try {
    return { records: parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false, delimiter }) as string[][] };
  } catch {
    return { error: true };
  }
};
const fast = (text: string, delimiter: Delimiter): { records: string[][]; lines: number[] } | null => {
  const records: string[][] = [];
  const lines: number[] = [];
  return readCsvFast(text, delimiter, (f, line) => { records.push(f); lines.push(line); }) ? { records, lines } : null;
};

/** Whenever the fast reader answers, it answers exactly what csv-parse does. */
const agrees = (text: string, delimiter: Delimiter) => {
  const got = fast(text, delimiter);
  if (got === null) return;
  expect(reference(text, delimiter)).toEqual({ records: got.records });
};

const delimiter = fc.constantFrom<Delimiter>(',', ';');
const field = fc.stringMatching(/^[a-zé ,"\n\r;\t0-9.-]{0,6}$/);
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
/** The line a text offset is on, counting CRLF, LF and a bare CR as one line break each. */
const lineAt = (text: string, offset: number) => 1 + (text.slice(0, offset).match(/\r\n|\r|\n/g)?.length ?? 0);

describe('readCsvFast', () => {
  it('matches csv-parse on arbitrary text built from the characters that matter, with , or ;', () => {
    const chars = fc.constantFrom('a', 'b', ' ', ',', ';', '"', '\n', '\r', '\r\n', '\uFEFF', 'é', '1', '.');
    fc.assert(fc.property(fc.array(chars, { maxLength: 40 }), delimiter, (cs, d) => agrees(cs.join(''), d)), { numRuns: 20_000 });
  });

  it('reads well-formed files (quoted separators, quotes and line breaks, BOM, LF or CRLF, empty lines) exactly like csv-parse, with the line each record starts on', () => {
    const file = fc.record({
      records: fc.array(fc.array(fc.record({ value: field, quoted: fc.boolean() }), { minLength: 1, maxLength: 6 }), { maxLength: 8 }),
      eol: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(),
      trailing: fc.boolean(),
      emptyLines: fc.array(fc.nat(8), { maxLength: 3 }),
      delimiter,
    });
    fc.assert(fc.property(file, ({ records, eol, bom, trailing, emptyLines, delimiter: d }) => {
      const special = new RegExp(`["\\r\\n${d}]`);
      const lines: Array<string | null> = records.map((r) => r.map(({ value, quoted }) => (quoted || special.test(value) ? quote(value) : value)).join(d));
      for (const at of emptyLines) lines.splice(Math.min(at, lines.length), 0, null);
      // Where each record starts in the text: its line by an independent count.
      let text = bom ? '\uFEFF' : '';
      const starts: number[] = [];
      lines.forEach((l, i) => {
        if (i > 0) text += eol;
        if (l !== null && l !== '') starts.push(lineAt(text, text.length));
        text += l ?? '';
      });
      if (trailing && lines.length) text += eol;
      const got = fast(text, d);
      expect(got).not.toBeNull(); // the fast path covers every well-formed file
      expect(reference(text, d)).toEqual({ records: got!.records });
      expect(got!.lines).toEqual(starts);
    }), { numRuns: 5_000 });
  });

  it('reads the edge cases csv-parse reads, and leaves the others to it', () => {
    for (const text of ['', '\n\n', 'a,b,', 'a,b,\n', '""', '"a""b",c\r\n"x\ny",z', '\uFEFFa\nb', ',\n,,']) agrees(text, ',');
    for (const text of ['a;b;', '"a;b";c\r\n"x\ny";z', '\uFEFFa;1,5\n\nb;2']) agrees(text, ';');
    expect(fast('a,"b\n', ',')).toBeNull(); // unclosed quote
    expect(fast('a,b"c\n', ',')).toBeNull(); // quote inside a field
    expect(fast('"a"b,c\n', ',')).toBeNull(); // text after a closing quote
    expect(fast('a\rb\r', ',')).toBeNull(); // bare CR line breaks
    expect(fast('a\r\nb\nc', ',')).toBeNull(); // mixed line breaks
  });

  it('numbers lines from the header (1), counting blank lines and line breaks inside quotes', () => {
    expect(fast('\uFEFFh;v\r\n\r\na;"x\r\ny"\r\nb;2\r\n', ';')).toEqual({ records: [['h', 'v'], ['a', 'x\r\ny'], ['b', '2']], lines: [1, 3, 5] });
  });
});
