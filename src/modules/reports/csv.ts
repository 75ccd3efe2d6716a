/**
 * The report as CSV, one row per indicator (for spreadsheets): UTF-8 with a BOM so Excel reads
 * Indonesian names right, CRLF line ends and RFC 4180 quoting. Figures are the JSON numbers written
 * out as they are (`66.67`, `100`, `12.5`); null is an empty cell, booleans `true`/`false`.
 * Columns are separated by `,`, or `;` with `?delimiter=semicolon` (src/http/csv.ts).
 */
import { CSV_BOM, csvLine, type CsvDelimiter } from '../../http/csv.js';
import type { ReportDto } from './schemas.js';

export const CSV_COLUMNS = [
  'agency_code', 'year', 'objective_code', 'objective_title', 'indicator_code', 'indicator_name',
  'unit', 'polarity', 'aggregation', 'is_key', 'target', 'realization', 'achievement', 'category',
  ...[1, 2, 3, 4].flatMap((q) => [`q${q}_target`, `q${q}_realization`, `q${q}_achievement`]),
  'plan_end_target', 'plan_progress',
  // the objective's efficiency (analisis efisiensi), repeated on each of its indicators' rows
  'efficiency_index', 'efficiency_category',
  // a ranged target (target rentang): its bounds, with `target` empty
  'target_min', 'target_max',
] as const;

export function reportCsv(report: ReportDto, delimiter: CsvDelimiter = ','): string {
  let out = CSV_BOM + csvLine(CSV_COLUMNS, delimiter);
  for (const o of report.objectives) {
    for (const i of o.indicators) {
      out += csvLine([
        report.agency.code, report.year, o.element.code, o.element.title, i.code, i.name,
        i.unit, i.polarity, i.aggregation, i.isKey, i.target, i.realization, i.achievement, i.category,
        ...i.quarters.flatMap((q) => [q.target, q.realization, q.achievement]),
        i.planEndTarget, i.planProgress,
        o.efficiency?.index, o.efficiency?.category,
        i.targetRange?.min, i.targetRange?.max,
      ], delimiter);
    }
  }
  return out;
}
