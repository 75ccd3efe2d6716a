/** The HTML of a printable document (A4 print stylesheet, page numbers, escaped text). */
import { cellLines, type Block, type Cell, type PrintDocument } from './model.js';
import { html, page, SafeHtml } from './html.js';

const cell = (c: Cell) => {
  const lines = cellLines(c);
  return lines.map((l, i) => (i ? html`<br>${l}` : html`${l}`));
};

function block(b: Block): SafeHtml {
  switch (b.kind) {
    case 'cover':
      return html`<header class="cover"><h1>${b.title}</h1>${b.lines.map((l) => html`<p>${l}</p>`)}</header>`;
    case 'heading':
      return b.level === 2 ? html`<h2>${b.text}</h2>` : html`<h3>${b.text}</h3>`;
    case 'meta':
      return html`<dl class="meta">${b.rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
    case 'paragraph':
      return html`<p class="${b.style === 'draft' ? 'draft-note' : b.style ?? ''}">${b.text}</p>`;
    case 'analysis':
      return html`<dl class="analysis"><dt>${b.title}</dt>${b.items.map(([k, v]) => html`<dd><strong>${k}:</strong> ${v}</dd>`)}</dl>`;
    case 'signature': {
      const side = (lines: readonly string[]) => html`<div>${lines.map((l, i) => html`<div class="${i === lines.length - 1 ? 'name' : ''}">${l}</div>`)}</div>`;
      return html`<div class="signature">${side(b.left)}${side(b.right)}</div>`;
    }
    case 'table': {
      const total = b.columns.reduce((s, c) => s + c.width, 0);
      return html`<table data-table="${b.name}">
<colgroup>${b.columns.map((c) => html`<col style="width:${((c.width / total) * 100).toFixed(1)}%">`)}</colgroup>
<thead><tr>${b.columns.map((c) => html`<th>${c.label}</th>`)}</tr></thead>
<tbody>
${b.rows.map((r) => html`<tr>${r.map((c, i) => html`<td${b.columns[i]?.numeric ? new SafeHtml(' class="num"') : ''}>${cell(c)}</td>`)}</tr>\n`)}</tbody>
${b.footer ? html`<tfoot><tr>${b.footer.map((c, i) => html`<th${b.columns[i]?.numeric ? new SafeHtml(' class="num"') : ''}>${cell(c)}</th>`)}</tr></tfoot>` : ''}
</table>`;
    }
  }
}

export function renderHtml(doc: PrintDocument): string {
  return page(doc.title, html`${doc.draft ? html`<div class="draft" aria-hidden="true">DRAFT</div>` : ''}
<main>
${doc.blocks.map((b) => html`${block(b)}\n`)}
</main>
<footer class="footer-note">${doc.footer}</footer>`);
}
