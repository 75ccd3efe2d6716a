/**
 * A real PostgreSQL primary and a hot standby fed by streaming replication, in temp dirs on free
 * ports (initdb, pg_basebackup -R), for tests of DATABASE_READ_URL. Needs the PostgreSQL server
 * binaries (Debian's postgresql package, which .ci/run installs when no server answers).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(root, versions[versions.length - 1], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export type ReplicaPair = { primaryUrl: string; standbyUrl: string; stop(): void };

export async function startPrimaryAndStandby(): Promise<ReplicaPair> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    execFileSync(file, argv as string[], { stdio: 'pipe' });
  };
  const dir = mkdtempSync(join(tmpdir(), 'sakip-replica-'));
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const [p1, p2] = [await freePort(), await freePort()];
  const primary = join(dir, 'primary');
  const standby = join(dir, 'standby');
  const opts = (port: number) => `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  run('initdb', ['-D', primary, '-U', 'postgres', '-A', 'trust']);
  run('pg_ctl', ['-D', primary, '-o', `${opts(p1)} -c wal_level=replica -c max_wal_senders=4`, '-l', join(dir, 'primary.log'), '-w', 'start']);
  run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(p1), '-U', 'postgres', '-D', standby, '-R', '-X', 'stream']);
  run('pg_ctl', ['-D', standby, '-o', `${opts(p2)} -c hot_standby=on`, '-l', join(dir, 'standby.log'), '-w', 'start']);
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${p1}/postgres`,
    standbyUrl: `postgres://postgres@127.0.0.1:${p2}/postgres`,
    stop() {
      for (const d of [standby, primary]) {
        const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', d, '-m', 'immediate', 'stop']] : [join(bin, 'pg_ctl'), ['-D', d, '-m', 'immediate', 'stop']];
        spawnSync(file, argv as string[], { stdio: 'ignore' });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs one statement on a server and answers its rows. */
export async function sqlAt<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Waits until the standby has replayed everything the primary has written so far. */
export async function caughtUp(pair: ReplicaPair, timeoutMs = 15_000): Promise<void> {
  const [{ lsn }] = await sqlAt<{ lsn: string }>(pair.primaryUrl, 'SELECT pg_current_wal_lsn()::text AS lsn');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [{ done }] = await sqlAt<{ done: boolean }>(pair.standbyUrl, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]);
    if (done) return;
    if (Date.now() > until) throw new Error('the standby did not catch up');
    await new Promise((r) => setTimeout(r, 50));
  }
}
