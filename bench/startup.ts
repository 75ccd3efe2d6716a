/** `node dist/server.js` to a ready /readyz on an already migrated database, against the bare
 * fastify + pg server's start to its first answer (the floor of starting Node, fastify and pg). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, stopServer } from './server.js';
import { ADMIN, REPEAT, benchDatabase, spread, type Spread } from './common.js';

async function bareStartMs(databaseUrl: string): Promise<number> {
  const t0 = performance.now();
  const file = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => { if (/listening \d+/.test(d.toString())) resolve(); });
  });
  const ms = performance.now() - t0;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return ms;
}

export async function benchStartup(): Promise<{ startMs: Spread; bareMs: Spread }> {
  const db = await benchDatabase();
  try {
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN.id, SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN.secret };
    await stopServer(await startServer(env)); // migrates the fresh database
    const starts: number[] = [];
    const bares: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const t0 = performance.now();
      const s = await startServer(env);
      starts.push(performance.now() - t0);
      await stopServer(s);
      bares.push(await bareStartMs(db.url));
    }
    const result = { startMs: spread(starts), bareMs: spread(bares) };
    console.log(`start to /readyz: ${starts.map((m) => m.toFixed(0)).join(', ')} ms (bare fastify + pg: ${bares.map((m) => m.toFixed(0)).join(', ')} ms)`);
    return result;
  } finally {
    await db.drop();
  }
}
