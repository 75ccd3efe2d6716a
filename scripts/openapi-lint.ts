// `npm run openapi:lint`: Redocly's recommended ruleset (with redocly.yaml) on openapi/openapi.json.
// Redocly fails only on errors; this fails on any warning too, so the document stays clean.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = process.argv[2] ?? 'openapi/openapi.json';
const run = spawnSync('npx', ['--no-install', 'redocly', 'lint', file, '--config', 'redocly.yaml', '--format', 'json', '--max-problems', '1000'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
});
const start = run.stdout.indexOf('{');
if (run.error || start < 0) {
  console.error(run.error?.message ?? run.stderr);
  process.exit(2);
}
type Problem = { ruleId: string; severity: string; message: string; location?: Array<{ pointer?: string }> };
const report = JSON.parse(run.stdout.slice(start)) as { totals: { errors: number; warnings: number }; problems: Problem[] };
for (const p of report.problems) console.error(`${p.severity} ${p.ruleId} ${p.location?.[0]?.pointer ?? ''}: ${p.message}`);
const { errors, warnings } = report.totals;
if (errors + warnings > 0) {
  console.error(`${file}: ${errors} errors and ${warnings} warnings (redocly.yaml)`);
  process.exit(1);
}
console.log(`${file}: 0 errors, 0 warnings (redocly recommended ruleset)`);
