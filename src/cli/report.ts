// `sakip report <agencyCode> <year> [--format json|csv|html|pdf] [--out file]`: the LKjIP of an
// agency, found by its code, in the format asked for (by the Accept header), written as it comes.
import { writeFileSync } from 'node:fs';
import { Api, ApiError, type ProblemBody } from './http.js';

export const REPORT_FORMATS = { json: 'application/json', csv: 'text/csv', html: 'text/html', pdf: 'application/pdf' } as const;
export type ReportFormat = keyof typeof REPORT_FORMATS;

export async function agencyIdByCode(api: Api, code: string): Promise<string> {
  const page = await api.call<{ data: Array<{ id: string; code: string }> }>('GET', `/v1/agencies?code=${encodeURIComponent(code)}`);
  const agency = page.data.find((a) => a.code === code);
  if (!agency) throw new Error(`No agency with code ${code} in your scope`);
  return agency.id;
}

export async function fetchReport(api: Api, code: string, year: string, format: ReportFormat): Promise<Buffer> {
  if (!/^[1-9][0-9]{3}$/.test(year)) throw new Error(`The year must look like 2026 (got ${year})`);
  const agencyId = await agencyIdByCode(api, code);
  const path = `/v1/agencies/${agencyId}/reports/${year}`;
  const res = await api.send('GET', path, { headers: { accept: REPORT_FORMATS[format] } });
  if (res.status !== 200) {
    let problem: ProblemBody;
    try { problem = res.json() as ProblemBody; } catch { problem = { detail: res.text().slice(0, 200) }; }
    throw new ApiError(res.status, problem, `GET ${path} (${format})`);
  }
  const type = res.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith(REPORT_FORMATS[format])) {
    throw new Error(`The service answered ${type || 'no content type'} for ${format}: this version cannot produce it`);
  }
  return res.body;
}

export function writeReport(body: Buffer, out: string | undefined, stdout: NodeJS.WritableStream): void {
  if (out) writeFileSync(out, body);
  else stdout.write(body);
}
