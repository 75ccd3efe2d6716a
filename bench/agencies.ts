/**
 * Authenticated GET /v1/agencies/{id} (the API in its own process: token verification, rate
 * limit, scope check, one query, JSON) against a bare fastify + pg route doing the same one query
 * (bench/bare-server.ts, also its own process), autocannon with 32 connections. Repeated REPEAT
 * times, alternating the two, so both see the same machine state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { startServer, stopServer } from './server.js';
import { ADMIN, REPEAT, benchDatabase, fetchToken, fmt, fmtSpread, spread, type Spread } from './common.js';

const CONNECTIONS = 32;
const DURATION = Number(process.env.BENCH_AGENCIES_SECONDS ?? 5);

async function startBare(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const file = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => { const m = d.toString().match(/listening (\d+)/); if (m) resolve(m[1]); });
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** User + system CPU time a process has used, in ms (from /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** autocannon against `url`; also the server's CPU time per request, which a busy machine
 * disturbs much less than req/s. */
async function cannon(url: string, headers: Record<string, string>, pid: number, duration = DURATION) {
  const cpu0 = cpuMs(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  if (r.non2xx || r.errors) throw new Error(`autocannon ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs: ((cpuMs(pid) - cpu0) * 1000) / r.requests.total };
}

export type AgenciesResult = {
  apiRps: Spread; bareRps: Spread; ratio: Spread; apiP99: Spread; bareP99: Spread; apiCpuUs: Spread; bareCpuUs: Spread; cpuRatio: Spread;
};

export async function benchAgencies(): Promise<AgenciesResult> {
  const db = await benchDatabase();
  const server = await startServer({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN.id, SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN.secret });
  let bare: { child: ChildProcess; base: string } | undefined;
  try {
    const token = await fetchToken(server.base);
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`${server.base}/v1/agencies`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'BENCH', name: 'Dinas Bench', kind: 'department' }) });
    const agency = (await created.json()) as { id: string };
    bare = await startBare(db.url);
    const apiUrl = `${server.base}/v1/agencies/${agency.id}`;
    const bareUrl = `${bare.base}/agencies/${agency.id}`;
    await cannon(apiUrl, auth, server.pid, 2); // warm-up (JIT, pools)
    await cannon(bareUrl, {}, bare.child.pid!, 2);
    const api: Array<{ rps: number; p99: number; cpuUs: number }> = [];
    const base: Array<{ rps: number; p99: number; cpuUs: number }> = [];
    for (let i = 0; i < REPEAT; i++) {
      base.push(await cannon(bareUrl, {}, bare.child.pid!));
      api.push(await cannon(apiUrl, auth, server.pid));
    }
    const result: AgenciesResult = {
      apiRps: spread(api.map((r) => r.rps)), bareRps: spread(base.map((r) => r.rps)),
      ratio: spread(api.map((r, i) => r.rps / base[i].rps)),
      apiP99: spread(api.map((r) => r.p99)), bareP99: spread(base.map((r) => r.p99)),
      apiCpuUs: spread(api.map((r) => r.cpuUs)), bareCpuUs: spread(base.map((r) => r.cpuUs)),
      cpuRatio: spread(api.map((r, i) => base[i].cpuUs / r.cpuUs)),
    };
    console.log(`\nGET /v1/agencies/{id}, ${CONNECTIONS} connections, ${DURATION} s x ${REPEAT} (median (min–max)):`);
    console.table({
      'API (authenticated)': { 'req/s': fmtSpread(result.apiRps, 0), 'p99 ms': fmtSpread(result.apiP99, 0), 'server CPU µs/req': fmtSpread(result.apiCpuUs, 0) },
      'bare fastify + pg': { 'req/s': fmtSpread(result.bareRps, 0), 'p99 ms': fmtSpread(result.bareP99, 0), 'server CPU µs/req': fmtSpread(result.bareCpuUs, 0) },
    });
    console.log(`CPU per request, bare / API: ${fmtSpread(result.cpuRatio)}`);
    console.log(`ratio API / bare: ${fmtSpread(result.ratio)} (goal >= 0.8; ${result.ratio.median >= 0.8 ? 'met' : 'not met'}: median ${fmt(result.ratio.median)})`);
    return result;
  } finally {
    if (bare && bare.child.exitCode === null) {
      const exited = new Promise((r) => bare!.child.once('exit', r));
      bare.child.kill('SIGTERM');
      await exited;
    }
    await stopServer(server);
    await db.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchAgencies().catch((err) => { console.error(err); process.exit(1); });
}
