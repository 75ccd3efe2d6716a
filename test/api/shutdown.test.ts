import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';

describe('graceful shutdown', () => {
  it('finishes a request in flight when the server closes', async () => {
    const fresh = await freshDatabase();
    const app = await buildApp({ config: testConfig(), database: fresh.database, logger: false });
    app.get('/v1/slow', { config: { public: true } }, async () => {
      await new Promise((r) => setTimeout(r, 400));
      return { done: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const inFlight = request(app.server).get('/v1/slow');
      const pending = inFlight.then((res) => res);
      await new Promise((r) => setTimeout(r, 100));
      const closing = app.close();
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ done: true });
      await closing;
      expect(app.server.listening).toBe(false);
    } finally {
      await fresh.dispose();
    }
  });

  it('npm start serves, then exits cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakip-srv-'));
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, DATABASE_URL: '', SAKIP_DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    try {
      let ready = 0;
      for (let i = 0; i < 120 && ready !== 200; i++) {
        await new Promise((r) => setTimeout(r, 250));
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
      }
      expect(ready).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
