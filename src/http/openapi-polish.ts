// Finishing touches on the generated OpenAPI document, applied to every route (including routes
// added later) so that generators and linters get a clean document without a central list.
import { REQUEST_EXAMPLES, exampleFor, resolveRef, subjectOf, type Schema } from './openapi-examples.js';
import { PROBLEM_TYPES } from './problem.js';

type Obj = Record<string, unknown>;
export type RouteDocInfo = { csvHeader?: string; formBody?: boolean; idempotent?: boolean; ifMatch?: boolean };

export const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const;
const PROBLEM_REF = '#/components/schemas/Problem';
const PROBLEM_MEDIA = 'application/problem+json';

/** The parts of an OpenAPI document read and rewritten here (anything else is carried along). */
export type Media = { schema?: Schema; example?: unknown; examples?: unknown; [key: string]: unknown };
export type Content = Record<string, Media>;
export type Response = { description?: string; content?: Content; $ref?: string; [key: string]: unknown };
export type Parameter = { in?: string; name?: string; $ref?: string; [key: string]: unknown };
export type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  requestBody?: { content?: Content; [key: string]: unknown };
  responses?: Record<string, Response>;
  parameters?: Parameter[];
  security?: Obj[];
  [key: string]: unknown;
};
export type OpenApiDoc = {
  paths?: Record<string, Partial<Record<(typeof HTTP_METHODS)[number], Operation>>>;
  components?: { schemas?: Record<string, Schema>; responses?: Record<string, unknown>; parameters?: Record<string, unknown>; [key: string]: unknown };
  tags?: Array<{ name: string; description?: string }>;
  [key: string]: unknown;
};

/** Shared problem answers, referenced by every operation (the title is the RFC 9457 title). */
export const PROBLEM_RESPONSES: Record<string, { name: string; description: string; type: string }> = {
  400: { name: 'BadRequest', description: 'Invalid input (`/problems/validation`)', type: 'validation' },
  401: { name: 'Unauthorized', description: 'Missing or invalid token (`/problems/unauthorized`)', type: 'unauthorized' },
  403: { name: 'Forbidden', description: 'Your role may not do this (`/problems/forbidden`)', type: 'forbidden' },
  404: { name: 'NotFound', description: 'Not found, or outside your scope (`/problems/not-found`)', type: 'not-found' },
  406: { name: 'NotAcceptable', description: 'No representation for the Accept header (`/problems/not-acceptable`)', type: 'not-acceptable' },
  409: { name: 'Conflict', description: 'Conflicts with the current state, or the period is locked (`/problems/conflict`, `/problems/period-locked`)', type: 'conflict' },
  412: { name: 'PreconditionFailed', description: 'If-Match does not match the current ETag (`/problems/precondition-failed`)', type: 'precondition-failed' },
  413: { name: 'PayloadTooLarge', description: 'Body too large (`/problems/payload-too-large`)', type: 'payload-too-large' },
  415: { name: 'UnsupportedMediaType', description: 'Unsupported Content-Type (`/problems/unsupported-media-type`)', type: 'unsupported-media-type' },
  422: { name: 'IdempotencyKeyReuse', description: 'Idempotency-Key reused with another body (`/problems/idempotency-key-reuse`)', type: 'idempotency-key-reuse' },
  429: { name: 'TooManyRequests', description: 'Rate limit exceeded (`/problems/rate-limited`)', type: 'rate-limited' },
  500: { name: 'InternalError', description: 'Unexpected error, without internals (`/problems/internal`)', type: 'internal' },
  503: { name: 'Unavailable', description: 'A dependency (the database) does not answer (`/problems/unavailable`)', type: 'unavailable' },
};

/** Example cells of a CSV body, by column name. */
const CSV_CELLS: Record<string, string> = {
  agency_code: 'KES-3201', indicator_code: 'IKU-01', period: '2026Q1', value: '87.5', note: 'Laporan triwulan I', min: '80', max: '90',
};

const isProblemContent = (content: Content | undefined) => content?.['application/json']?.schema?.$ref === PROBLEM_REF;

function* operations(doc: OpenApiDoc): Generator<[string, string, Operation]> {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) if (item[method]) yield [path, method, item[method]];
  }
}

/** `anyOf: [{}, {type: null}]` (z.unknown().nullable()) says nothing more than `{}`. */
function collapseEmptyBranches(node: unknown): void {
  if (Array.isArray(node)) { node.forEach(collapseEmptyBranches); return; }
  if (!node || typeof node !== 'object') return;
  const obj = node as Obj;
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(obj[key]) && obj[key].some((b: unknown) => b && typeof b === 'object' && Object.keys(b).length === 0)) delete obj[key];
  }
  Object.values(obj).forEach(collapseEmptyBranches);
}

/** Component schemas no operation reaches (e.g. the `*Input` twins of output-only schemas). */
function pruneUnusedSchemas(doc: OpenApiDoc): void {
  const schemas: Record<string, Schema> = doc.components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Obj)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const id = value.slice('#/components/schemas/'.length);
        if (!used.has(id)) { used.add(id); visit(schemas[id]); }
      } else visit(value);
    }
  };
  visit(doc.paths);
  visit({ ...doc.components, schemas: undefined });
  for (const id of Object.keys(schemas)) if (!used.has(id)) delete schemas[id];
}

function problemResponses(doc: OpenApiDoc, op: Operation): void {
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    if (!isProblemContent(response.content)) continue;
    const shared = PROBLEM_RESPONSES[status];
    if (shared && response.description === shared.description) {
      op.responses![status] = { $ref: `#/components/responses/${shared.name}` };
      doc.components!.responses ??= {};
      doc.components!.responses[shared.name] ??= {
        description: shared.description,
        content: { [PROBLEM_MEDIA]: { schema: { $ref: PROBLEM_REF }, example: problemExample(Number(status), shared.type) } },
      };
    } else {
      response.content = { [PROBLEM_MEDIA]: response.content!['application/json'] };
    }
  }
}

function problemExample(status: number, type: string) {
  const title = (PROBLEM_TYPES as Record<string, readonly [number, string]>)[type]?.[1] ?? type;
  const detail = type === 'validation' ? 'period must look like 2026 or 2026Q1' : `${title}: the detail says why`;
  const errors = type === 'validation' ? { errors: [{ path: 'period', message: 'must look like 2026 or 2026Q1' }] } : {};
  return { type: `/problems/${type}`, title, status, detail, instance: '/v1/indicators/9e4f1b27-6a8c-4d2e-b5f3-3c4d5e6f7a8b/measurements/2026Q5', ...errors };
}

/** A JSON body that is `anyOf [object, string]` (the string is the CSV alternative) is the object. */
function jsonBodyWithoutCsvBranch(body: NonNullable<Operation['requestBody']>): void {
  const media = body.content?.['application/json'];
  const branches = media?.schema?.anyOf;
  if (!Array.isArray(branches)) return;
  const rest = branches.filter((b) => b.type !== 'string');
  if (rest.length === branches.length || rest.length === 0) return;
  media!.schema = rest.length === 1 ? rest[0] : { ...media!.schema, anyOf: rest };
}

function addExamples(doc: OpenApiDoc, op: Operation): void {
  const media: Media[] = [];
  for (const content of [op.requestBody?.content, ...Object.values(op.responses ?? {}).map((r) => r.content)]) {
    for (const [type, m] of Object.entries(content ?? {})) if (/json|form/.test(type) && !/problem/.test(type)) media.push(m);
  }
  const given = op.operationId ? REQUEST_EXAMPLES[op.operationId] : undefined;
  const json = op.requestBody?.content?.['application/json'];
  if (given && json && json.example === undefined) json.example = given;
  for (const m of media) {
    if (m.example !== undefined || m.examples !== undefined) continue;
    const value = exampleFor(doc, m.schema, subjectOf(op.operationId));
    if (value !== undefined && !(typeof value === 'object' && value !== null && Object.keys(value).length === 0 && resolveRef(doc, m.schema)?.type !== 'object')) m.example = value;
  }
}

const header = (name: string, description: string, schema: Obj) => ({ name, in: 'header', required: false, description, schema });
const COMMON_PARAMETERS = {
  IdempotencyKey: header('Idempotency-Key', 'Any unique string up to 255 characters: a retry with the same key and body answers the first response again (kept 24 h); another body with the same key is 422.', { type: 'string', minLength: 1, maxLength: 255 }),
  IfMatch: header('If-Match', 'The ETag of your last read: the write happens only if the resource has not changed since (412 otherwise).', { type: 'string' }),
};

/** Applies the finishing touches in place; `routes` holds what the routes' configs say, by "METHOD path". */
export function polishDocument(doc: OpenApiDoc, routes: Map<string, RouteDocInfo>): OpenApiDoc {
  doc.components ??= {};
  for (const [path, method, op] of operations(doc)) {
    const info = routes.get(`${method.toUpperCase()} ${path}`) ?? {};
    const body = op.requestBody;
    if (body && info.csvHeader) {
      jsonBodyWithoutCsvBranch(body);
      const row = info.csvHeader.split(',').map((c) => CSV_CELLS[c] ?? '').join(',');
      body.content!['text/csv'] = {
        schema: { type: 'string', description: `UTF-8 CSV (a BOM and CRLF are fine) separated by \`,\` or \`;\` whose first line is the header \`${info.csvHeader}\`` },
        example: `${info.csvHeader}\n${row}\n`,
      };
    }
    if (body && info.formBody && body.content?.['application/json']) {
      body.content['application/x-www-form-urlencoded'] = structuredClone(body.content['application/json']);
    }
    const params: Parameter[] = (op.parameters ??= []);
    const declared = (name: string) => params.some((p) => p.in === 'header' && String(p.name).toLowerCase() === name);
    if (info.idempotent && !declared('idempotency-key')) params.push({ $ref: '#/components/parameters/IdempotencyKey' });
    if (info.ifMatch && !declared('if-match')) params.push({ $ref: '#/components/parameters/IfMatch' });
    if (params.length === 0) delete op.parameters;
    if (Array.isArray(op.security)) op.security = op.security.map((s) => ('bearerAuth' in s ? { oauth2: [] } : s));
    problemResponses(doc, op);
    for (const response of Object.values(op.responses ?? {})) {
      if (response.description === 'Default Response') response.description = 'Success';
    }
  }
  doc.components.parameters = { ...COMMON_PARAMETERS, ...doc.components.parameters };
  collapseEmptyBranches(doc.paths);
  collapseEmptyBranches(doc.components.schemas);
  pruneUnusedSchemas(doc);
  for (const [, , op] of operations(doc)) addExamples(doc, op);
  const usedTags = new Set([...operations(doc)].flatMap(([, , op]) => op.tags ?? []));
  const listed = doc.tags ?? [];
  doc.tags = [
    ...listed.filter((t) => usedTags.has(t.name)),
    ...[...usedTags].filter((name) => !listed.some((t) => t.name === name)).map((name) => ({ name })),
  ];
  return doc;
}

/** What an operation lacks for the document's conventions (an empty list when it has it all). */
export function documentationGaps(doc: OpenApiDoc): string[] {
  const gaps: string[] = [];
  const ids = new Map<string, string>();
  for (const [path, method, op] of operations(doc)) {
    const where = `${method.toUpperCase()} ${path}`;
    for (const field of ['operationId', 'summary', 'description'] as const) {
      if (typeof op[field] !== 'string' || op[field].trim() === '') gaps.push(`${where}: no ${field} in the route schema`);
    }
    if (!Array.isArray(op.tags) || op.tags.length === 0) gaps.push(`${where}: no tags in the route schema`);
    if (typeof op.operationId === 'string') {
      if (!/^[a-z][A-Za-z0-9]*$/.test(op.operationId)) gaps.push(`${where}: operationId ${op.operationId} is not camelCase`);
      const other = ids.get(op.operationId);
      if (other) gaps.push(`${where}: operationId ${op.operationId} is also used by ${other}`);
      ids.set(op.operationId, where);
    }
  }
  for (const tag of doc.tags ?? []) if (!tag.description) gaps.push(`tag ${tag.name}: no description (add it to TAGS in src/http/openapi.ts)`);
  return gaps;
}
