/**
 * The PDF of a printable document, drawn in-process with pdfkit: real text (selectable, searchable)
 * in the PDF standard Helvetica, A4 portrait, tables that repeat their header on a new page,
 * "Halaman n dari m" on every page and a DRAFT banner on every page of an unsigned agreement.
 */
import PDFDocument from 'pdfkit';
import { cellLines, type Block, type Cell, type Column, type PrintDocument } from './model.js';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 48, bottom: 56, left: 40, right: 40 };
const WIDTH = A4.width - MARGIN.left - MARGIN.right;
const BOTTOM = A4.height - MARGIN.bottom;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const PAD = 3;

/**
 * The standard PDF fonts encode text as WinAnsi (Windows-1252). Characters outside it are written
 * as a close ASCII form, or `?`, rather than as broken glyphs.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = { '≥': '>=', '≤': '<=', '÷': '/', '→': '->', '\u00A0': ' ', '\u202F': ' ' };
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0xf7 || (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff && c !== 0xa0) || ch === '\n' || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += REPLACEMENTS[ch] ?? (c < 0x20 ? ' ' : '?');
  }
  return out;
}

type Doc = InstanceType<typeof PDFDocument>;

function ensureSpace(doc: Doc, height: number): boolean {
  if (doc.y + height <= BOTTOM) return false;
  doc.addPage();
  return true;
}

/**
 * One table row: measured first (so a page break can come before it), drawn after. A cell whose
 * lines all fit its width is measured with one width computation and written line by line without
 * pdfkit's line wrapper (most cells are short figures: this is what keeps a 500-indicator PDF
 * fast); a cell that does not fit is wrapped by pdfkit.
 */
// Widths of the strings drawn in one document: figures and "T: –" repeat thousands of times, and
// pdfkit measures each with a kerning pass.
const widthCache = new WeakMap<Doc, Map<string, number>>();
function widthOf(doc: Doc, font: string, size: number, text: string): number {
  let cache = widthCache.get(doc);
  if (!cache) widthCache.set(doc, (cache = new Map()));
  const key = `${font}|${size}|${text}`;
  let w = cache.get(key);
  if (w === undefined) cache.set(key, (w = doc.widthOfString(text)));
  return w;
}

function drawRow(doc: Doc, cells: readonly Cell[], widths: number[], columns: readonly Column[], opts: { header?: boolean; size: number }) {
  const font = opts.header ? BOLD : FONT;
  doc.font(font).fontSize(opts.size);
  const lineHeight = doc.currentLineHeight(true);
  const laid = cells.map((c, i) => {
    const inner = widths[i] - 2 * PAD;
    const lines = cellLines(c).map(winAnsi);
    const lineWidths = lines.map((l) => widthOf(doc, font, opts.size, l));
    if (lineWidths.every((w) => w <= inner)) return { lines, lineWidths, height: lines.length * lineHeight, wrap: false };
    const text = lines.join('\n');
    return { lines: [text], lineWidths, height: doc.heightOfString(text, { width: inner }), wrap: true };
  });
  const height = Math.max(...laid.map((l) => l.height)) + 2 * PAD;
  return {
    height,
    draw(y: number) {
      let x = MARGIN.left;
      doc.font(font).fontSize(opts.size).lineWidth(0.5);
      laid.forEach((cell, i) => {
        if (opts.header) doc.rect(x, y, widths[i], height).fillAndStroke('#e8e8e8', '#666666').fillColor('#000000');
        else doc.rect(x, y, widths[i], height).stroke('#666666');
        const inner = widths[i] - 2 * PAD;
        const align = opts.header ? 'center' : columns[i]?.numeric ? 'right' : 'left';
        if (cell.wrap) {
          doc.text(cell.lines[0], x + PAD, y + PAD, { width: inner, align, lineBreak: true });
        } else {
          cell.lines.forEach((line, n) => {
            const free = inner - cell.lineWidths[n];
            const dx = align === 'right' ? free : align === 'center' ? free / 2 : 0;
            doc.text(line, x + PAD + dx, y + PAD + n * lineHeight, { lineBreak: false });
          });
        }
        x += widths[i];
      });
      doc.x = MARGIN.left;
      doc.y = y + height;
    },
  };
}

/** Yields to the event loop now and then: a long PDF must not hold up other requests for seconds. */
let drawnRows = 0;
const breathe = () => (++drawnRows % 40 === 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined);

async function drawTable(doc: Doc, b: Extract<Block, { kind: 'table' }>) {
  const total = b.columns.reduce((s, c) => s + c.width, 0);
  const widths = b.columns.map((c) => (c.width / total) * WIDTH);
  const size = b.columns.length > 6 ? 7.5 : 8.5;
  const header = drawRow(doc, b.columns.map((c) => c.label), widths, b.columns, { header: true, size });
  ensureSpace(doc, header.height * 2);
  header.draw(doc.y);
  const rows = b.footer ? [...b.rows.map((r) => ({ r, h: false })), { r: b.footer, h: true }] : b.rows.map((r) => ({ r, h: false }));
  for (const { r, h } of rows) {
    const row = drawRow(doc, r, widths, b.columns, { header: h, size });
    if (ensureSpace(doc, row.height)) header.draw(doc.y); // the header again on the new page
    row.draw(doc.y);
    await breathe();
  }
  doc.moveDown(0.8);
}

async function drawBlock(doc: Doc, b: Block) {
  doc.x = MARGIN.left;
  switch (b.kind) {
    case 'cover':
      doc.font(BOLD).fontSize(15).text(winAnsi(b.title), { align: 'center', width: WIDTH });
      doc.moveDown(0.3).font(FONT).fontSize(11);
      for (const l of b.lines) doc.text(winAnsi(l), { align: 'center', width: WIDTH });
      doc.moveDown(1);
      return;
    case 'heading':
      ensureSpace(doc, 60);
      doc.moveDown(0.4).font(BOLD).fontSize(b.level === 2 ? 12.5 : 10.5).text(winAnsi(b.text), { width: WIDTH });
      doc.moveDown(0.3);
      return;
    case 'meta':
      doc.fontSize(9.5);
      for (const [k, v] of b.rows) {
        ensureSpace(doc, 14);
        const y = doc.y;
        doc.font(BOLD).text(winAnsi(k), MARGIN.left, y, { width: 140 });
        const afterLabel = doc.y;
        doc.font(FONT).text(winAnsi(v), MARGIN.left + 145, y, { width: WIDTH - 145 });
        doc.y = Math.max(doc.y, afterLabel);
      }
      doc.x = MARGIN.left;
      doc.moveDown(0.6);
      return;
    case 'paragraph':
      doc.font(b.style === 'code' ? 'Courier' : FONT).fontSize(b.style === 'code' ? 6.5 : b.style === 'note' ? 8.5 : 9.5)
        .fillColor(b.style === 'draft' ? '#bb0000' : '#000000')
        .text(winAnsi(b.text), { width: WIDTH }).fillColor('#000000');
      doc.moveDown(0.5);
      return;
    case 'analysis':
      ensureSpace(doc, 40);
      doc.font(BOLD).fontSize(8.5).text(winAnsi(b.title), { width: WIDTH });
      for (const [k, v] of b.items) doc.font(BOLD).text(`${winAnsi(k)}: `, { continued: true, width: WIDTH }).font(FONT).text(winAnsi(v));
      doc.moveDown(0.5);
      return;
    case 'signature': {
      ensureSpace(doc, 120);
      const y = doc.y + 10;
      const col = WIDTH / 2;
      const side = (lines: readonly string[], x: number) => {
        doc.y = y;
        lines.forEach((l, i) => {
          if (i === lines.length - 1) doc.moveDown(4);
          doc.font(i === lines.length - 1 ? BOLD : FONT).fontSize(9.5).text(winAnsi(l), x, doc.y, { width: col, align: 'center' });
        });
        return doc.y;
      };
      const end = Math.max(side(b.left, MARGIN.left), side(b.right, MARGIN.left + col));
      doc.x = MARGIN.left;
      doc.y = end;
      return;
    }
    case 'table':
      await drawTable(doc, b);
  }
}

/** Renders the document; resolves with the PDF bytes. */
export async function renderPdf(printable: PrintDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4', margins: MARGIN, bufferPages: true, compress: true,
    info: { Title: winAnsi(printable.title), Creator: 'sakip', Producer: 'sakip (pdfkit)' },
    lang: 'id-ID',
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const b of printable.blocks) await drawBlock(doc, b);

  // Page furniture once every page exists: the number of pages is known only now.
  const { start, count } = doc.bufferedPageRange();
  for (let p = start; p < start + count; p++) {
    doc.switchToPage(p);
    doc.page.margins.bottom = 0; // header and footer sit outside the text area; no automatic new page
    if (printable.draft) {
      // A banner, not a rotated watermark: text extraction and screen readers stay in reading order.
      doc.rect(MARGIN.left, 16, WIDTH, 18).fill('#fbe3e3');
      doc.font(BOLD).fontSize(10).fillColor('#bb0000')
        .text('DRAFT — belum ditandatangani, belum berlaku', MARGIN.left, 21, { width: WIDTH, align: 'center', lineBreak: false, height: 12 });
    }
    doc.font(FONT).fontSize(8).fillColor('#444444');
    doc.text(winAnsi(printable.footer), MARGIN.left, A4.height - 38, { width: WIDTH * 0.7, lineBreak: false, height: 10 });
    doc.text(`Halaman ${p - start + 1} dari ${count}`, MARGIN.left + WIDTH * 0.7, A4.height - 38, { width: WIDTH * 0.3, align: 'right', lineBreak: false, height: 10 });
    doc.fillColor('#000000');
  }
  doc.end();
  return done;
}
