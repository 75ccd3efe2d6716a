import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { agencies, agreementBudget, agreementItems, agreements, elements, indicators, plans } from '../../db/schema/index.js';
import { formatDecimal } from '../../domain/decimal.js';
import type { Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { writeGate } from '../../db/gate.js';
import type { TargetRange } from '../../domain/achievement.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { badRequest, conflict, notFound, type FieldError } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { bodyUuid, decimalValue, nonNegativeDecimal } from '../plans/schemas.js';

// Perjanjian Kinerja: one per agency and year, versioned; signing makes a version immutable.
export const agreementSchema = z.object({
  agencyId: z.uuid(),
  year: z.number().int(),
  version: z.number().int(),
  status: z.enum(['draft', 'signed']),
  items: z.array(z.object({
    indicatorId: z.uuid(),
    target: z.number().nullable().describe('The annual target; null for a range'),
    targetMin: z.number().optional().describe('Lower bound of a ranged target (only on ranged items)'),
    targetMax: z.number().optional().describe('Upper bound of a ranged target (only on ranged items)'),
  })),
  budget: z.array(z.object({ elementId: z.uuid(), amount: z.number() })),
  signedBy: z.string().nullable(),
  signedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Agreement', description: 'A version of a Perjanjian Kinerja (performance agreement)' });

// API.md: wherever an indicator is named, `indicatorId` or `agencyCode` + `indicatorCode` works.
const agreementItem = z.object({
  indicatorId: bodyUuid().optional(),
  agencyCode: z.string().min(1).max(64).optional(),
  indicatorCode: z.string().min(1).max(64).optional(),
  target: decimalValue.nullish().describe('The annual target; or targetMin + targetMax for a range'),
  targetMin: decimalValue.optional().describe('Lower bound of a ranged target (> 0)'),
  targetMax: decimalValue.optional().describe('Upper bound of a ranged target (> targetMin)'),
}).strict().transform((it) => ({ ...it, target: it.target ?? undefined })).superRefine((it, ctx) => {
  if (!it.indicatorId && !(it.agencyCode && it.indicatorCode)) {
    ctx.addIssue({ code: 'custom', path: ['indicatorId'], message: 'name the indicator by indicatorId or by agencyCode + indicatorCode' });
  }
  const ranged = it.targetMin !== undefined || it.targetMax !== undefined;
  if (ranged && it.target !== undefined) ctx.addIssue({ code: 'custom', path: ['target'], message: 'give either target or targetMin + targetMax, not both' });
  else if (!ranged && it.target === undefined) ctx.addIssue({ code: 'custom', path: ['target'], message: 'required (or targetMin + targetMax for a range)' });
  else if (ranged) {
    if (it.targetMin === undefined) ctx.addIssue({ code: 'custom', path: ['targetMin'], message: 'required with targetMax' });
    else if (it.targetMax === undefined) ctx.addIssue({ code: 'custom', path: ['targetMax'], message: 'required with targetMin' });
    else {
      if (it.targetMin <= 0) ctx.addIssue({ code: 'custom', path: ['targetMin'], message: 'the lower bound of a range must be greater than 0' });
      if (it.targetMin >= it.targetMax) ctx.addIssue({ code: 'custom', path: ['targetMax'], message: 'the upper bound of a range must be greater than the lower bound' });
    }
  }
});

export const putAgreementBody = z.object({
  items: z.array(agreementItem).max(5000),
  budget: z.array(z.object({ elementId: bodyUuid(), amount: nonNegativeDecimal }).strict()).max(5000).optional(),
}).strict();
export const signAgreementBody = z.object({ signedBy: z.string().trim().min(1).max(300).describe('Who signed (name and position)') }).strict();

export type AgreementDto = z.infer<typeof agreementSchema>;
type AgreementRow = typeof agreements.$inferSelect;
type PutInput = z.infer<typeof putAgreementBody>;
type Line = { indicatorId: string; target?: number; targetMin?: number; targetMax?: number };
type Lines = { items: Line[]; budget?: PutInput['budget'] };
const numOrNull = (s: string | null) => (s === null ? null : Number(s));

/** An agreement item's target for the report rules: a decimal string or a range. */
export const itemTarget = (i: { target: string | null; targetMin: string | null; targetMax: string | null }): string | TargetRange =>
  (i.target !== null ? i.target : { min: i.targetMin!, max: i.targetMax! });

async function loadVersions(tx: DbOrTx, agencyId: string, year: number, rows: AgreementRow[]): Promise<AgreementDto[]> {
  if (!rows.length) return [];
  const versions = rows.map((r) => r.version);
  const key = (t: typeof agreementItems | typeof agreementBudget) => and(eq(t.agencyId, agencyId), eq(t.year, year), inArray(t.version, versions));
  const [items, budget] = [
    await tx.select().from(agreementItems).where(key(agreementItems)).orderBy(asc(agreementItems.indicatorId)),
    await tx.select().from(agreementBudget).where(key(agreementBudget)).orderBy(asc(agreementBudget.elementId)),
  ];
  return rows.map((r) => ({
    agencyId, year, version: r.version, status: r.status,
    items: items.filter((i) => i.version === r.version).map((i) => ({
      indicatorId: i.indicatorId, target: numOrNull(i.target),
      ...(i.targetMin !== null ? { targetMin: Number(i.targetMin), targetMax: Number(i.targetMax) } : {}),
    })),
    budget: budget.filter((b) => b.version === r.version).map((b) => ({ elementId: b.elementId, amount: Number(b.amount) })),
    signedBy: r.signedBy,
    signedAt: r.signedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

async function latest(tx: DbOrTx, agencyId: string, year: number, forUpdate = false): Promise<AgreementDto | null> {
  const q = tx.select().from(agreements).where(and(eq(agreements.agencyId, agencyId), eq(agreements.year, year)))
    .orderBy(desc(agreements.version)).limit(1);
  const rows = forUpdate ? await q.for('update') : await q;
  return (await loadVersions(tx, agencyId, year, rows))[0] ?? null;
}

/** For reports: the targets of the latest signed version, or null when none is signed. */
export async function latestSignedAgreement(db: DbOrTx, agencyId: string, year: number): Promise<{ version: number; targets: Map<string, string | TargetRange> } | null> {
  const [row] = await db.select({ version: agreements.version }).from(agreements)
    .where(and(eq(agreements.agencyId, agencyId), eq(agreements.year, year), eq(agreements.status, 'signed')))
    .orderBy(desc(agreements.version)).limit(1);
  if (!row) return null;
  const items = await db.select().from(agreementItems)
    .where(and(eq(agreementItems.agencyId, agencyId), eq(agreementItems.year, year), eq(agreementItems.version, row.version)));
  return { version: row.version, targets: new Map(items.map((i) => [i.indicatorId, itemTarget(i)])) };
}

/** Items named by agencyCode + indicatorCode get their indicatorId; an unknown pair is a 400. */
async function resolveItems(tx: DbOrTx, input: PutInput): Promise<Lines> {
  const named = input.items.filter((i) => !i.indicatorId);
  const found = named.length ? await tx.select({ id: indicators.id, code: indicators.code, agencyCode: agencies.code }).from(indicators)
    .innerJoin(agencies, eq(agencies.id, indicators.agencyId))
    .where(sql`(${agencies.code}, ${indicators.code}) IN (SELECT * FROM unnest(${sql.param(named.map((i) => i.agencyCode!))}::text[], ${sql.param(named.map((i) => i.indicatorCode!))}::text[]))`) : [];
  const byCode = new Map(found.map((f) => [`${f.agencyCode}\u0000${f.code}`, f.id]));
  const errors: FieldError[] = [];
  const items = input.items.map((it, n) => {
    const id = it.indicatorId ?? byCode.get(`${it.agencyCode}\u0000${it.indicatorCode}`);
    if (!id) errors.push({ path: `items.${n}.indicatorCode`, message: `unknown indicator ${it.indicatorCode} of agency ${it.agencyCode}` });
    return { indicatorId: id ?? '', target: it.target, targetMin: it.targetMin, targetMax: it.targetMax };
  });
  if (errors.length) throw badRequest(`The agreement is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
  return { items, budget: input.budget };
}

/** Items name this agency's indicators of a plan covering the year; budget lines its elements. */
async function validateLines(tx: DbOrTx, agencyId: string, year: number, input: Lines): Promise<void> {
  const errors: FieldError[] = [];
  const indIds = input.items.map((i) => i.indicatorId);
  const inds = new Map((indIds.length ? await tx.select({ id: indicators.id, start: plans.startYear, end: plans.endYear }).from(indicators)
    .innerJoin(plans, eq(plans.id, indicators.planId))
    .where(and(eq(indicators.agencyId, agencyId), inArray(indicators.id, indIds))) : []).map((r) => [r.id, r]));
  const seen = new Set<string>();
  input.items.forEach((it, n) => {
    const ind = inds.get(it.indicatorId);
    const path = `items.${n}.indicatorId`;
    if (seen.has(it.indicatorId)) errors.push({ path, message: 'listed twice' });
    else if (!ind) errors.push({ path, message: 'not an indicator of this agency' });
    else if (year < ind.start || year > ind.end) errors.push({ path, message: `its plan covers ${ind.start}-${ind.end}, not ${year}` });
    seen.add(it.indicatorId);
  });
  const budget = input.budget ?? [];
  const elIds = budget.map((b) => b.elementId);
  const els = new Set((elIds.length ? await tx.select({ id: elements.id }).from(elements)
    .where(and(eq(elements.agencyId, agencyId), inArray(elements.id, elIds))) : []).map((r) => r.id));
  const seenEl = new Set<string>();
  budget.forEach((b, n) => {
    const path = `budget.${n}.elementId`;
    if (seenEl.has(b.elementId)) errors.push({ path, message: 'listed twice' });
    else if (!els.has(b.elementId)) errors.push({ path, message: 'not an element of this agency' });
    seenEl.add(b.elementId);
  });
  if (errors.length) throw badRequest(`The agreement is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
}

export function agreementService(db: Db) {
  const { getVisible } = agencyService(db);
  const visibleAgency = (tx: DbOrTx, actor: Actor, agencyId: string) => getVisible(actor, agencyId, tx);
  const gate = writeGate(db);

  return {
    async current(actor: Actor, agencyId: string, year: number): Promise<AgreementDto> {
      await visibleAgency(db, actor, agencyId);
      const dto = await latest(db, agencyId, year);
      if (!dto) throw notFound(`Agreement of ${year}`);
      return dto;
    },

    async versions(actor: Actor, agencyId: string, year: number, q: { limit: number; cursor?: string }) {
      await visibleAgency(db, actor, agencyId);
      const after = decodeCursor(q.cursor, (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31);
      const rows = await db.select().from(agreements)
        .where(and(eq(agreements.agencyId, agencyId), eq(agreements.year, year), after === undefined ? undefined : gt(agreements.version, after)))
        .orderBy(asc(agreements.version)).limit(q.limit + 1);
      const versions = await loadVersions(db, agencyId, year, rows);
      return pageOf(versions, q.limit, (v) => v.version);
    },

    /** Replaces the current draft, or starts a new draft version (a revision) after a signed one. */
    async put(actor: Actor, ifMatch: string | undefined, agencyId: string, year: number, body: PutInput): Promise<{ dto: AgreementDto; created: boolean }> {
      try {
        return await gate.run(actor, async ({ tx, agency, audit }) => {
          await agency(agencyId, [year]);
          const before = await latest(tx, agencyId, year, true);
          assertIfMatch(ifMatch, before);
          const input = await resolveItems(tx, body);
          await validateLines(tx, agencyId, year, input);
          const created = !before || before.status === 'signed';
          const version = created ? (before?.version ?? 0) + 1 : before!.version;
          if (created) {
            await tx.insert(agreements).values({ agencyId, year, version, status: 'draft' });
          } else {
            const key = (t: typeof agreementItems | typeof agreementBudget) => and(eq(t.agencyId, agencyId), eq(t.year, year), eq(t.version, version));
            await tx.delete(agreementItems).where(key(agreementItems));
            await tx.delete(agreementBudget).where(key(agreementBudget));
            await tx.update(agreements).set({ updatedAt: new Date() })
              .where(and(eq(agreements.agencyId, agencyId), eq(agreements.year, year), eq(agreements.version, version)));
          }
          if (input.items.length) {
            await tx.insert(agreementItems).values(input.items.map((i) => ({
              agencyId, year, version, indicatorId: i.indicatorId,
              target: i.target === undefined ? null : formatDecimal(i.target),
              targetMin: i.targetMin === undefined ? null : formatDecimal(i.targetMin),
              targetMax: i.targetMax === undefined ? null : formatDecimal(i.targetMax),
            })));
          }
          if (input.budget?.length) {
            await tx.insert(agreementBudget).values(input.budget.map((b) => ({ agencyId, year, version, elementId: b.elementId, amount: formatDecimal(b.amount) })));
          }
          const dto = (await latest(tx, agencyId, year))!;
          await audit({
            action: created ? 'agreement.draft' : 'agreement.update', entityType: 'agreement', entityId: `${agencyId}/${year}/${version}`,
            agencyId, before: created ? null : before, after: dto,
          });
          return { dto, created };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('Another request changed this agreement at the same time; read it again and retry');
        throw err;
      }
    },

    async sign(actor: Actor, agencyId: string, year: number, signedBy: string): Promise<AgreementDto> {
      return gate.run(actor, async ({ tx, agency, audit }) => {
        await agency(agencyId, [year]);
        const before = await latest(tx, agencyId, year, true);
        if (!before) throw conflict(`There is no agreement of ${year} to sign; PUT a draft first`);
        if (before.status === 'signed') throw conflict(`Version ${before.version} of ${year} is already signed and immutable; PUT a new draft to revise it`);
        await tx.update(agreements).set({ status: 'signed', signedBy, signedAt: new Date(), updatedAt: new Date() })
          .where(and(eq(agreements.agencyId, agencyId), eq(agreements.year, year), eq(agreements.version, before.version)));
        const dto = (await latest(tx, agencyId, year))!;
        await audit({ action: 'agreement.sign', entityType: 'agreement', entityId: `${agencyId}/${year}/${dto.version}`, agencyId, before, after: dto });
        return dto;
      });
    },
  };
}
