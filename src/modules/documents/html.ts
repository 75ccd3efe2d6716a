/**
 * HTML by tagged templates with strict escaping: every interpolated value is HTML-escaped unless it
 * is already a `SafeHtml` built by `html` itself. There is no other way to put text into a page,
 * so an agency or indicator named `<script>` prints as text.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() { return this.value; }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** `html\`<td>${name}</td>\``: the literal parts are trusted, every value is escaped. */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** A4 print stylesheet: page margins, page numbers in the footer (CSS paged media counters),
 * tables that repeat their header on each page and do not split a row. */
const STYLE = `
@page { size: A4; margin: 18mm 14mm 20mm 14mm;
  @bottom-center { content: "Halaman " counter(page) " dari " counter(pages); font: 9pt sans-serif; color: #444; } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #111; }
body { margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; }
.cover { text-align: center; margin-bottom: 8mm; }
.cover p { margin: 1mm 0; }
dl.meta { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; margin: 3mm 0; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; page-break-inside: auto; table-layout: fixed; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 1px solid #666; padding: 1mm 1.5mm; vertical-align: top; overflow-wrap: anywhere; }
th { background: #e8e8e8; font-weight: bold; text-align: center; font-size: 9pt; overflow-wrap: normal; hyphens: manual; }
td.num, tfoot th.num { text-align: right; font-variant-numeric: tabular-nums; }
.analysis { font-size: 9pt; margin: 0 0 3mm; }
.analysis dt { font-weight: bold; } .analysis dd { margin: 0 0 1mm 4mm; white-space: pre-wrap; }
.draft { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 72pt; color: rgba(200,0,0,.18);
  transform: rotate(-30deg); pointer-events: none; z-index: 10; }
.draft-note { color: #b00; font-weight: bold; text-align: center; }
.verify { font-size: 9pt; word-break: break-all; background: #f5f5f5; padding: 2mm; border: 1px solid #ccc; }
.footer-note { font-size: 8.5pt; color: #555; margin-top: 6mm; }
.signature { margin-top: 12mm; display: grid; grid-template-columns: 1fr 1fr; text-align: center; }
.signature .name { margin-top: 22mm; font-weight: bold; text-decoration: underline; }
@media print { body { padding: 0; max-width: none; } h2 { page-break-after: avoid; } .objective { page-break-inside: auto; } }
`;

/** A whole page: Indonesian, UTF-8, the print stylesheet; no scripts at all. */
export function page(title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`.value;
}
