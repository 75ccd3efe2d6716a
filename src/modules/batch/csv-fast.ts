/**
 * A fast reader for the common shape of CSV files, equal in result to csv-parse with the options
 * of `readCsv` (bom, skip_empty_lines, relax_column_count, no trim, the given delimiter): RFC 4180
 * quoting with doubled quotes, delimiters and line breaks inside quotes, LF or CRLF. It hands each
 * record to `onRecord` with the line number the record starts on (1-based; every line counts,
 * blank ones too; a line break is CRLF, LF or a bare CR, inside quotes as well) and answers true.
 * On anything it does not handle exactly like csv-parse (a bare CR line break, mixed line breaks,
 * a quote inside an unquoted field, text after a closing quote, an unclosed quote) it stops and
 * answers false, and the caller reads the whole text with csv-parse again, which then gives the
 * same records or the same error. Test: test/unit/csv-fast.test.ts.
 */
export function readCsvFast(text: string, delimiter: ',' | ';', onRecord: (fields: string[], line: number) => void): boolean {
  const QUOTE = 34, LF = 10, CR = 13;
  const DELIM = delimiter.charCodeAt(0);
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const len = text.length;
  // Record delimiter: the first line break outside quotes decides (like csv-parse): 0 = not yet
  // seen, 1 = LF, 2 = CRLF.
  let eol = 0;
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  while (pos < len) {
    // At the start of a field.
    if (fields.length === 0) recordLine = line;
    let value: string;
    let quoted = false;
    if (text.charCodeAt(pos) === QUOTE) {
      quoted = true;
      let start = pos + 1;
      let parts = '';
      for (;;) {
        const q = text.indexOf('"', start);
        if (q < 0) return false; // unclosed quote
        if (text.charCodeAt(q + 1) === QUOTE) { parts += text.slice(start, q + 1); start = q + 2; continue; }
        value = parts + text.slice(start, q);
        line += lineBreaks(text, pos + 1, q);
        pos = q + 1;
        break;
      }
    } else {
      const start = pos;
      while (pos < len) {
        const ch = text.charCodeAt(pos);
        if (ch === DELIM || ch === LF || ch === CR) break;
        if (ch === QUOTE) return false; // a quote inside an unquoted field
        pos++;
      }
      value = text.slice(start, pos);
    }
    // After the field: a delimiter, a line break or the end.
    if (pos >= len) {
      fields.push(value);
      onRecord(fields, recordLine);
      return true;
    }
    const ch = text.charCodeAt(pos);
    if (ch === DELIM) { fields.push(value); pos++; continue; }
    if (ch === CR) {
      if (text.charCodeAt(pos + 1) !== LF || eol === 1) return false;
      eol = 2;
      pos += 2;
    } else if (ch === LF) {
      if (eol === 2) return false;
      eol = 1;
      pos++;
    } else {
      return false; // text after a closing quote
    }
    line++;
    // End of a record; an empty line (no field, nothing quoted) is skipped.
    if (fields.length === 0 && value === '' && !quoted) continue;
    fields.push(value);
    onRecord(fields, recordLine);
    fields = [];
  }
  // The text ended right after a delimiter: the record ends with an empty field.
  if (fields.length) { fields.push(''); onRecord(fields, recordLine); }
  return true;
}

/** Line breaks (CRLF, LF or a bare CR) in text[from, to). */
export function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) { n++; if (text.charCodeAt(i + 1) === 10 && i + 1 < to) i++; }
  }
  return n;
}
