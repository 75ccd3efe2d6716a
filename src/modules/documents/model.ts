/**
 * A printable document as plain blocks (title, headings, key-value lists, tables, paragraphs). The
 * report and agreement builders produce one of these from their DTOs; the HTML and the PDF
 * renderers draw the same blocks, so both formats print the same strings.
 */
export type Column = { label: string; /** relative width */ width: number; numeric?: boolean };
/** A cell: one line, or several lines. */
export type Cell = string | readonly string[];

export type Block =
  | { kind: 'cover'; lines: readonly string[]; title: string }
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'meta'; rows: ReadonlyArray<readonly [string, string]> }
  | { kind: 'table'; name: string; columns: readonly Column[]; rows: ReadonlyArray<readonly Cell[]>; footer?: readonly Cell[] }
  | { kind: 'paragraph'; text: string; style?: 'note' | 'draft' | 'code' }
  | { kind: 'analysis'; title: string; items: ReadonlyArray<readonly [string, string]> }
  | { kind: 'signature'; left: readonly string[]; right: readonly string[] };

export type PrintDocument = {
  /** <title> and PDF metadata */
  title: string;
  /** An unsigned agreement version: a DRAFT watermark on every page. */
  draft?: boolean;
  /** Printed in every page footer beside the page number. */
  footer: string;
  blocks: Block[];
};

export const cellLines = (c: Cell): readonly string[] => (typeof c === 'string' ? [c] : c);
