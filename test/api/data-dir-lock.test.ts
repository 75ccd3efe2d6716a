import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectPglite } from '../../src/db/client.js';
import { DataDirLockedError, LOCK_FILE, holderAlive } from '../../src/db/data-dir-lock.js';
import { ADMIN_ID, ADMIN_SECRET } from '../helpers/app.js';

const tsx = (script: string, env: Record<string, string>, args: string[] = []) =>
  spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** Runs a child to its end: exit code and everything it printed. */
function finished(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

async function waitReady(port: number): Promise<number> {
  let status = 0;
  for (let i = 0; i < 480 && status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 250));
    status = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
  }
  return status;
}

describe('the embedded data directory belongs to one process', () => {
  it('refuses a second server and a seed on a directory in use; the first keeps serving its data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakip-lock-'));
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const env = { SAKIP_DATA_DIR: dir, SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN_ID, SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN_SECRET };
    const first = tsx('src/server.ts', { ...env, PORT: String(port) });
    const firstDone = finished(first);
    try {
      expect(await waitReady(port)).toBe(200);
      const base = `http://127.0.0.1:${port}`;
      const tok = await fetch(`${base}/v1/auth/token`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: ADMIN_ID, client_secret: ADMIN_SECRET }),
      }).then((r) => r.json());
      const auth = { authorization: `Bearer ${tok.access_token}`, 'content-type': 'application/json' };
      const created = await fetch(`${base}/v1/agencies`, { method: 'POST', headers: auth, body: JSON.stringify({ code: 'TETAP', name: 'Tetap Ada', kind: 'regency' }) });
      expect(created.status).toBe(201);

      const second = await finished(tsx('src/server.ts', { ...env, PORT: String(port + 1) }));
      expect(second.code).toBe(1);
      expect(second.output).toContain(dir);
      expect(second.output).toContain(`process ${first.pid}`);

      const seed = await finished(tsx('scripts/seed.ts', env, ['--demo']));
      expect(seed.code).toBe(1);
      expect(seed.output).toContain(dir);
      expect(seed.output).toContain(`process ${first.pid}`);
      expect(seed.output).not.toContain('Demo region loaded');

      // The first process is untouched: still ready, its agency still there, nothing seeded.
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const list = await fetch(`${base}/v1/agencies?limit=500`, { headers: auth }).then((r) => r.json());
      expect(list.data.map((a: { code: string }) => a.code)).toEqual(['TETAP']);
      first.kill('SIGTERM');
      expect((await firstDone).code).toBe(0);
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    } finally {
      first.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000); // three processes start; a loaded machine is slow to

  it('is exclusive within one process too, and free again after close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakip-lock-'));
    try {
      const db = await connectPglite(dir);
      const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
      expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
      await expect(connectPglite(dir)).rejects.toBeInstanceOf(DataDirLockedError);
      await db.close();
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      const again = await connectPglite(dir);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakip-lock-'));
    try {
      // A pid that is not running (beyond the default pid_max of 4194304).
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4_194_999, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
      const db = await connectPglite(dir);
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a live process of this host', { pid: process.ppid, host: hostname(), startedAt: '' }, true],
    ['a pid that is gone', { pid: 4_194_999, host: hostname(), startedAt: '' }, false],
    ['this process, not holding the directory (a previous life with the same pid)', { pid: process.pid, host: hostname(), startedAt: '' }, false],
    ['a live pid that started at another time (reused)', { pid: process.ppid, host: hostname(), startedAt: '', procStart: '1' }, false],
    ['another host (cannot be checked)', { pid: 4_194_999, host: `${hostname()}-elsewhere`, startedAt: '' }, true],
  ])('holder: %s -> alive %s', (_name, holder, alive) => {
    expect(holderAlive(holder, '/nowhere')).toBe(alive);
  });
});
