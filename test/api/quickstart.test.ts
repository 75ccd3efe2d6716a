import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_URL, createServerDatabase } from '../helpers/db.js';

// examples/quickstart.sh is the README walkthrough; it runs against a started service, twice.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    }).on('error', reject);
  });
}

function runScript(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['examples/quickstart.sh'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples/quickstart.sh', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sakip-quickstart-'));
  let server: ChildProcess;
  let url = '';
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    let databaseUrl = '';
    if (SERVER_URL) {
      const created = await createServerDatabase();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    // No SAKIP_BOOTSTRAP_CLIENT_*: the first start writes initial-admin.json, which the script reads.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SAKIP_')));
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...env, DATABASE_URL: databaseUrl, SAKIP_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '100000' },
      stdio: 'ignore',
    });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.on('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs end to end against a fresh service, and again with fresh codes', async () => {
    // The script waits for /readyz itself.
    const first = await runScript({ SAKIP_URL: url, SAKIP_DATA_DIR: dataDir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/done: agency QS-\S+ .*follow-up rate 100/);

    const second = await runScript({ SAKIP_URL: url, SAKIP_DATA_DIR: dataDir });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const agency = (out: string) => /done: agency (\S+)/.exec(out)?.[1];
    expect(agency(second.stdout)).not.toBe(agency(first.stdout));
  });

  it('stops at the first unexpected answer, saying which', async () => {
    const res = await runScript({ SAKIP_URL: url, SAKIP_CLIENT_ID: 'nobody', SAKIP_CLIENT_SECRET: 'not-the-secret-0123' });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('POST /v1/auth/token answered 401, expected 200');
    expect(res.stdout).not.toContain('== agencies and clients');
  });

  it('says where the credentials are missing from', async () => {
    const res = await runScript({ SAKIP_URL: url, SAKIP_DATA_DIR: join(dataDir, 'nowhere') });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('initial-admin.json');
  });
});

describe('README walkthrough', () => {
  it('shows the steps of examples/quickstart.sh, line for line', () => {
    const readme = readFileSync('README.md', 'utf8');
    const script = readFileSync('examples/quickstart.sh', 'utf8');
    const section = readme.split(/^## /m).find((s) => s.startsWith('Walkthrough'));
    expect(section, 'README has a "## Walkthrough" section').toBeDefined();
    const blocks = [...section!.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(3);
    const scriptLines = new Set(script.split('\n').map((l) => l.trimEnd()));
    const shown = blocks.flatMap((b) => b.split('\n')).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
    expect(shown.filter((l) => l.includes('call '))).not.toHaveLength(0);
    expect(shown.filter((l) => !scriptLines.has(l))).toEqual([]);
  });
});
