import pg from 'pg';

export type RecordedQuery = { text: string; values: unknown[] };

/**
 * Records the SQL text and parameters of every query sent through node-postgres while `fn` runs
 * (the app's pool included), so a test can EXPLAIN exactly what the endpoints ran.
 */
export async function recordQueries(fn: () => Promise<void>): Promise<RecordedQuery[]> {
  const recorded: RecordedQuery[] = [];
  const proto = pg.Client.prototype as any;
  const original = proto.query;
  proto.query = function (this: unknown, config: any, values?: any, cb?: any) {
    if (typeof config === 'string') recorded.push({ text: config, values: Array.isArray(values) ? values : [] });
    else if (config && typeof config.text === 'string') recorded.push({ text: config.text, values: config.values ?? (Array.isArray(values) ? values : []) });
    return original.call(this, config, values, cb);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return recorded;
}

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };

/** Every `Seq Scan` of the named tables in a plan (EXPLAIN (FORMAT JSON) output). */
export function seqScans(plan: PlanNode, tables: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const walk = (n: PlanNode) => {
    if (n['Node Type'] === 'Seq Scan' && n['Relation Name'] && tables.has(n['Relation Name'])) found.push(n['Relation Name']);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan);
  return found;
}
