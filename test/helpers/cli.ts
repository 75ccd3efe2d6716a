import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs `sakip <args>` from its TypeScript source in a child process (the test's server keeps serving). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, 'src/cli/index.ts', ...args], {
      cwd: root,
      env: { ...process.env, SAKIP_URL: '', SAKIP_CLIENT_ID: '', SAKIP_CLIENT_SECRET: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
