/** Shared pieces of the benchmarks: a fresh database per benchmark, tokens, statistics. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789' };
export const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Creates an empty database on the server; `drop()` removes it. */
export async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sakip_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export async function fetchToken(base: string, id = ADMIN.id, secret = ADMIN.secret): Promise<string> {
  const res = await fetch(`${base}/v1/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: id, client_secret: secret }),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export type Spread = { min: number; median: number; max: number; runs: number[] };

export function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1], runs: values };
}

export const fmt = (n: number, digits = 2) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const fmtSpread = (s: Spread, digits = 2) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** How many repetitions of each figure (BENCH_REPEAT, default 3). */
export const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
