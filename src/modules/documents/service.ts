/**
 * Printable documents: the data of a Perjanjian Kinerja version (scope-checked), and the rendering
 * of any printable document to HTML or PDF.
 */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../http/access.js';
import { notFound } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import type { ReportDto } from '../reports/schemas.js';
import { agreementDocument, type AgreementDocumentData } from './agreement-doc.js';
import type { PrintDocument } from './model.js';
import { renderHtml } from './render-html.js';
import { renderPdf } from './render-pdf.js';
import { reportDocument, type SubmissionInfo } from './report-doc.js';
import { documentRepository as repo } from './repository.js';

/** Media types a printable resource answers besides its JSON. */
export const DOCUMENT_TYPES = ['text/html', 'application/pdf'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const isDocumentType = (t: string): t is DocumentType => (DOCUMENT_TYPES as readonly string[]).includes(t);

const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The rendered bytes of a document in the given type. */
export async function renderDocument(doc: PrintDocument, type: DocumentType): Promise<Buffer | string> {
  return type === 'text/html' ? renderHtml(doc) : renderPdf(doc);
}

export const renderReport = (report: ReportDto, type: DocumentType, submission?: SubmissionInfo) =>
  renderDocument(reportDocument(report, submission), type);

export function documentService(db: Db) {
  const { getVisible } = agencyService(db);
  return {
    /** One version of the agreement (the latest without `version`); 404 when there is none. */
    async agreementData(actor: Actor, agencyId: string, year: number, version?: number): Promise<AgreementDocumentData> {
      const agency = await getVisible(actor, agencyId);
      const v = await repo.agreementVersion(db, agencyId, year, version);
      if (!v) throw notFound(version === undefined ? `Agreement of ${year}` : `Version ${version} of the agreement of ${year}`);
      const [items, budget] = [await repo.agreementItems(db, agencyId, year, v.version), await repo.agreementBudget(db, agencyId, year, v.version)];
      return {
        agency: { id: agency.id, code: agency.code, name: agency.name, kind: agency.kind },
        year, version: v.version, status: v.status, signedBy: v.signedBy, signedAt: v.signedAt,
        items: items.map((it) => {
          const min = numberOrNull(it.item.target_min);
          const max = numberOrNull(it.item.target_max);
          return {
            indicatorId: it.indicatorId, code: it.code, name: it.name, unit: it.unit, objectiveCode: it.objectiveCode, objectiveTitle: it.objectiveTitle,
            target: numberOrNull(it.item.target), targetRange: min !== null && max !== null ? { min, max } : null,
          };
        }),
        budget: budget.map((b) => ({ ...b, amount: Number(b.amount) })),
      };
    },

    async agreement(actor: Actor, agencyId: string, year: number, type: DocumentType, version?: number) {
      const data = await this.agreementData(actor, agencyId, year, version);
      return { data, body: await renderDocument(agreementDocument(data), type) };
    },
  };
}
