#!/usr/bin/env node
// `sakip`: the command line of the SAKIP API for scripts (see docs/CLI.md). It talks HTTP to a
// running service; the URL and credentials come from flags or SAKIP_URL, SAKIP_CLIENT_ID and
// SAKIP_CLIENT_SECRET. Exit codes: 0 done, 1 rows rejected, 2 wrong usage, 3 failed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Api, ApiError } from './http.js';
import { seedDemo } from './demo.js';
import { importMeasurements } from './import.js';
import { REPORT_FORMATS, fetchReport, writeReport, type ReportFormat } from './report.js';

export const USAGE = `Usage:
  sakip import measurements <file.csv> [--dry-run] [--atomic] [--chunk-rows N] [--idempotency-key KEY]
  sakip report <agencyCode> <year> [--format json|csv|html|pdf] [--out FILE]
  sakip seed --demo

Connection (flags or environment):
  --url URL               SAKIP_URL (default http://127.0.0.1:3000)
  --client-id ID          SAKIP_CLIENT_ID
  --client-secret SECRET  SAKIP_CLIENT_SECRET (never printed)
                          (neither: the service's SAKIP_DATA_DIR/initial-admin.json, if readable)
  --retries N             attempts on 429, 503 and network errors (default 5)

Exit codes: 0 done, 1 some rows were rejected, 2 wrong usage, 3 the request failed.
`;

export type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv };

class UsageError extends Error {}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' }, retries: { type: 'string' },
        'dry-run': { type: 'boolean', default: false }, atomic: { type: 'boolean', default: false },
        'chunk-rows': { type: 'string' }, 'idempotency-key': { type: 'string' },
        format: { type: 'string', default: 'json' }, out: { type: 'string' }, demo: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals: [command, ...args] } = parsed;
  if (v.help || !command) {
    (v.help ? io.stdout : io.stderr).write(USAGE);
    return v.help ? 0 : 2;
  }
  try {
    const api = new Api({
      url: v.url ?? io.env.SAKIP_URL ?? 'http://127.0.0.1:3000',
      ...credentials(v['client-id'] || io.env.SAKIP_CLIENT_ID, v['client-secret'] || io.env.SAKIP_CLIENT_SECRET, io.env),
      attempts: positiveInt(v.retries ?? '5', '--retries'),
      onRetry: ({ attempt, delayMs, reason }) => io.stderr.write(`retrying after ${reason} in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1})\n`),
    });
    switch (command) {
      case 'import': {
        const [what, file, ...extra] = args;
        if (what !== 'measurements' || !file || extra.length) throw new UsageError('import takes: measurements <file.csv>');
        const outcome = await importMeasurements(api, file, {
          dryRun: v['dry-run'], atomic: v.atomic, chunkRows: positiveInt(v['chunk-rows'] ?? '5000', '--chunk-rows'),
          idempotencyKey: v['idempotency-key'], out: io.stdout, err: io.stderr,
        });
        return outcome.rejected > 0 ? 1 : 0;
      }
      case 'report': {
        const [code, year, ...extra] = args;
        if (!code || !year || extra.length) throw new UsageError('report takes: <agencyCode> <year>');
        if (!(v.format in REPORT_FORMATS)) throw new UsageError(`--format is one of ${Object.keys(REPORT_FORMATS).join(', ')}`);
        const body = await fetchReport(api, code, year, v.format as ReportFormat);
        writeReport(body, v.out, io.stdout);
        if (v.out) io.stderr.write(`wrote ${v.out} (${body.length} bytes)\n`);
        return 0;
      }
      case 'seed': {
        if (!v.demo || args.length) throw new UsageError('seed takes: --demo');
        await seedDemo((method, url, body) => api.call(method, url, body), (line) => io.stdout.write(`${line}\n`));
        return 0;
      }
      default:
        throw new UsageError(`Unknown command ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    const problem = err instanceof ApiError ? err.problem : undefined;
    io.stderr.write(`sakip: ${(err as Error).message}\n`);
    for (const e of problem?.errors ?? []) io.stderr.write(`  ${e.path || '(body)'}: ${e.message}\n`);
    return 3;
  }
}

/** Flags, then environment, then the first-start admin the service wrote (initial-admin.json in SAKIP_DATA_DIR). */
function credentials(clientId: string | undefined, clientSecret: string | undefined, env: NodeJS.ProcessEnv) {
  if (clientId || clientSecret) return { clientId, clientSecret };
  const file = join(env.SAKIP_DATA_DIR || './data', 'initial-admin.json');
  if (!existsSync(file)) return {};
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { clientId?: string; clientSecret?: string };
    return { clientId: saved.clientId, clientSecret: saved.clientSecret };
  } catch {
    return {};
  }
}

function positiveInt(text: string, flag: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw new UsageError(`${flag} takes a positive whole number (got ${text})`);
  return Number(text);
}

// Run when executed (node dist/cli/index.js, tsx src/cli/index.ts, or the `sakip` bin).
const invoked = process.argv[1] ? pathToFileURL(process.argv[1]).href : '';
if (invoked === import.meta.url || process.env.SAKIP_CLI_MAIN === '1') {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
