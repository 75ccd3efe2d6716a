// Example values for the OpenAPI document. A schema's own `examples` (zod `.meta({ examples })`)
// always win; otherwise an example is built from the schema (its enums, formats, patterns, limits
// and property names), so every operation added later gets examples without a central list.
/** The JSON Schema keywords read here (any other keyword is carried along unread). */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  examples?: unknown;
  example?: unknown;
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  not?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  [keyword: string]: unknown;
}
type Doc = { components?: { schemas?: Record<string, Schema> } };

const UUIDS = ['0b9d6c1e-3f2a-4c5d-8e7f-1a2b3c4d5e6f', '5c2e8a41-7d3b-4f6e-9a1c-2b3d4e5f6a7b', '9e4f1b27-6a8c-4d2e-b5f3-3c4d5e6f7a8b'];

/** Realistic values by property name (the first one a schema's pattern and limits accept is used). */
const BY_NAME: Record<string, unknown[]> = {
  'Agency.code': ['3201', 'KES-3201'],
  'Agency.name': ['Dinas Kesehatan Kabupaten Bogor'],
  'Agency.kind': ['department'],
  'Plan.title': ['Renstra Dinas Kesehatan 2025-2029'],
  'Plan.kind': ['renstra'],
  'Element.code': ['T1.S1', 'T1'],
  'Element.level': ['objective'],
  'Element.title': ['Menurunnya prevalensi stunting pada balita'],
  'Indicator.name': ['Prevalensi stunting pada balita'],
  'Indicator.polarity': ['lower_is_better'],
  'Indicator.aggregation': ['last'],
  'Indicator.type': ['outcome'],
  definition: ['Jumlah balita stunting dibagi jumlah balita yang diukur, dikali 100'],
  dataSource: ['e-PPGBM Dinas Kesehatan'],
  revokedAt: [null],
  'Client.name': ['SIMDA Dinas Kesehatan'],
  'CreatedClient.name': ['SIMDA Dinas Kesehatan'],
  'Client.role': ['operator'],
  'CreatedClient.role': ['operator'],
  code: ['IKU-01', 'KES-3201', '3201'],
  agencyCode: ['KES-3201', '3201'],
  indicatorCode: ['IKU-01'],
  parentCode: ['3201'],
  name: ['Dinas Kesehatan Kabupaten Bogor', 'Kabupaten Bogor'],
  agencyName: ['Dinas Kesehatan Kabupaten Bogor'],
  title: ['Meningkatnya derajat kesehatan masyarakat'],
  unit: ['%', 'persen'],
  period: ['2026Q1', '2026'],
  year: [2026, '2026'],
  startYear: [2025],
  endYear: [2029],
  value: [87.5, '87.5'],
  target: [90],
  realization: [87.5],
  achievement: [97.22],
  note: ['Data dari laporan triwulan puskesmas'],
  comment: ['Angka sudah diverifikasi terhadap dokumen sumber'],
  reason: ['Duplikat dengan indikator provinsi'],
  description: ['Persentase penduduk yang mendapat layanan kesehatan sesuai standar'],
  url: ['https://sakip.example.go.id/dokumen/lkjip-2025.pdf'],
  email: ['operator@example.go.id'],
  clientId: ['dinkes-3201-operator'],
  client_id: ['dinkes-3201-operator'],
  clientSecret: ['s3cr3t-shown-once-0123456789'],
  client_secret: ['s3cr3t-shown-once-0123456789'],
  grant_type: ['client_credentials'],
  expires_in: [900],
  scope: [''],
  access_token: ['eyJhbGciOiJFUzI1NiIsImtpZCI6IjEiLCJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
  type: ['/problems/not-found'],
  digest: ['sha256:3b5d5c3712955042212316173ccf37be800b2e2cbc4c1a1b9c0a9c4f3f5e6a7b'],
  jws: ['eyJhbGciOiJFUzI1NiJ9..c2lnbmF0dXJl'],
  requestId: ['8b1f6c2e-4d3a-4b5c-9e7f-0a1b2c3d4e5f'],
  status: ['ok'],
  detail: ['Indicator not found'],
};

const FORMATS: Record<string, string> = {
  uuid: UUIDS[0],
  'date-time': '2026-04-10T08:30:00.000Z',
  date: '2026-04-10',
  email: 'operator@example.go.id',
  uri: 'https://sakip.example.go.id/',
  url: 'https://sakip.example.go.id/',
};

const STRING_CANDIDATES = ['example', '2026Q1', '2026', 'IKU-01', '3201', 'KES-3201', 'abc123', '2026-04-10', '87.5', 'a'];

export function resolveRef(doc: Doc, schema: Schema | undefined): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 20; i += 1) s = doc.components?.schemas?.[s.$ref.split('/').pop()!];
  return s;
}

function fits(schema: Schema, value: unknown): boolean {
  if (typeof value === 'string') {
    if (schema.type && !([] as string[]).concat(schema.type).includes('string')) return false;
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return false;
    if (schema.minLength !== undefined && value.length < schema.minLength) return false;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
    if (schema.format === 'uuid' && !/^[0-9a-f-]{36}$/.test(value)) return false;
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) return false;
    return true;
  }
  if (typeof value === 'number') {
    const types: string[] = ([] as string[]).concat(schema.type ?? []);
    if (!types.includes('number') && !(types.includes('integer') && Number.isInteger(value))) return false;
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
    return true;
  }
  return false;
}

function example(doc: Doc, schema: Schema | undefined, name: string, depth: number, seen: Set<string>, ctx = ''): unknown {
  if (!schema || typeof schema !== 'object') return null;
  if (schema.$ref) {
    const id = String(schema.$ref).split('/').pop()!;
    if (seen.has(id) || depth > 8) return undefined; // recursive trees stop here
    const target = doc.components?.schemas?.[id];
    return example(doc, target, name, depth + 1, new Set([...seen, id]), id);
  }
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return hints(ctx, name).find((h) => schema.enum!.includes(h)) ?? schema.enum.find((v: unknown) => v !== null) ?? schema.enum[0];
  if (schema.default !== undefined && schema.default !== null) return schema.default;
  const branches: Schema[] | undefined = schema.anyOf ?? schema.oneOf;
  const nullable = ([] as string[]).concat(schema.type ?? []).includes('null') || Boolean(branches?.some((b) => b.type === 'null'));
  if (nullable && hints(ctx, name).includes(null)) return null;
  if (branches) {
    const concrete = branches.filter((b) => !(b.type === 'null'));
    return concrete.length > 0 ? example(doc, concrete[0], name, depth, seen, ctx) : null;
  }
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s: Schema) => example(doc, s, name, depth, seen, ctx)));
  const types: string[] = ([] as string[]).concat(schema.type ?? (schema.properties ? 'object' : []));
  const type = types.find((t) => t !== 'null') ?? types[0];
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries<Schema>(schema.properties ?? {})) {
        const value = example(doc, prop, key, depth + 1, seen, ctx);
        if (value !== undefined) out[key] = value;
        // Too deep to expand: a required property that may be null still appears, as null.
        else if (schema.required?.includes(key) && (prop.anyOf ?? prop.oneOf)?.some((x: Schema) => x.type === 'null')) out[key] = null;
      }
      return out;
    }
    case 'array': {
      if (depth > 6) return [];
      const item = example(doc, schema.items, singular(name), depth + 1, seen, ctx);
      return item === undefined ? [] : [item];
    }
    case 'string': {
      if (schema.format && FORMATS[schema.format]) return schema.format === 'uuid' ? uuidFor(name) : FORMATS[schema.format];
      const hinted = /(^at|At)$/.test(name) ? [FORMATS['date-time']] : /(^id|Id)$/.test(name) ? [uuidFor(name)] : [];
      const candidates = [...hints(ctx, name), ...hinted, ...STRING_CANDIDATES];
      return candidates.find((c) => typeof c === 'string' && fits(schema, c)) ?? 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    }
    case 'integer':
    case 'number': {
      const hinted = /year/i.test(name) ? [2026] : /achievement|value|realization|target|score|total|rate|mean/i.test(name) ? [87.5, 88] : [];
      const candidates = [...hints(ctx, name), ...hinted, 1, 0, 2026, 87.5];
      const found = candidates.find((c) => typeof c === 'number' && fits(schema, c));
      return found ?? schema.minimum ?? 1;
    }
    case 'boolean':
      return name.startsWith('is') || name === 'written' ? true : false;
    case 'null':
      return null;
    default:
      return type === undefined && !schema.not ? null : undefined; // `{}` accepts anything
  }
}

const singular = (name: string) => (name.endsWith('ies') ? `${name.slice(0, -3)}y` : name.replace(/s$/, ''));

/** Stable, distinct UUIDs by field, so an example does not reuse one id for everything. */
function uuidFor(name: string): string {
  if (/^(agency|parent|from|to)/i.test(name)) return UUIDS[1];
  if (/^(indicator|element|plan)/i.test(name)) return UUIDS[2];
  return UUIDS[0];
}

/** Values by property name, the ones for the schema in hand (e.g. `Agency.code`) first. */
const hints = (ctx: string, name: string): unknown[] => [...(BY_NAME[`${ctx}.${name}`] ?? []), ...(BY_NAME[name] ?? [])];

/** The schema an operation handles, from its operationId: createAgency -> Agency, listPlans -> Plan. */
export const subjectOf = (operationId: string | undefined) => {
  const noun = (operationId ?? '').replace(/^[a-z]+/, '');
  return noun.endsWith('ies') ? `${noun.slice(0, -3)}y` : noun.replace(/s$/, '');
};

/** An example of a (possibly referenced) schema, or undefined when none can be built; `ctx` names
 * the schema's subject for the name hints (a component's own name wins once a `$ref` is followed). */
export function exampleFor(doc: Doc, schema: Schema | undefined, ctx = ''): unknown {
  const value = example(doc, schema, '', 0, new Set(), ctx);
  return value === null ? undefined : value;
}

/** Request examples of operations whose body schema cannot carry a clear one itself (a batch row
 * names its indicator either by id or by codes; the generated example would show both). */
export const REQUEST_EXAMPLES: Record<string, unknown> = {
  submitMeasurementBatch: {
    items: [
      { agencyCode: 'KES-3201', indicatorCode: 'IKU-01', period: '2026Q1', value: 87.5, note: 'Laporan triwulan I' },
      { indicatorId: UUIDS[2], period: '2026Q1', value: '12.25' },
    ],
  },
  submitTargetBatch: {
    items: [
      { agencyCode: 'KES-3201', indicatorCode: 'IKU-01', period: '2026', value: 90 },
      { agencyCode: 'KES-3201', indicatorCode: 'IKU-01', period: '2026Q1', value: 22.5 },
    ],
  },
};
