// Some registry mirrors do not carry every platform binary of a package (e.g. rollup's
// @rollup/rollup-<platform> optional dependencies). npm then leaves them out of
// package-lock.json, and `npm ci` refuses the lock file as "out of sync". This adds an entry for
// each missing optional platform package, with its os/cpu/libc, so that `npm ci` validates the
// lock and skips them on platforms they are not for. Run `npx tsx scripts/complete-lockfile.ts`
// after `npm install` changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32', 'sunos', 'aix', 'netbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'ppc64le'];

function platformOf(name: string) {
  const parts = (name.split('/').pop() ?? name).split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p)) ?? (parts.includes('armv7') ? 'arm' : undefined);
  const libc = parts.some((p) => p.startsWith('musl')) ? 'musl' : parts.some((p) => p === 'gnu' || p.startsWith('gnueabi')) && os === 'linux' ? 'glibc' : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [key, pkg] of Object.entries(lock.packages as Record<string, { optionalDependencies?: Record<string, string>; dev?: boolean }>)) {
  for (const [dep, version] of Object.entries((pkg.optionalDependencies ?? {}) as Record<string, string>)) {
    const base = key ? `${key}/node_modules/${dep}` : `node_modules/${dep}`;
    if (lock.packages[base] || lock.packages[`node_modules/${dep}`]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os || !cpu) continue; // not a platform package: leave it to npm
    lock.packages[`node_modules/${dep}`] = {
      version, cpu: [cpu], ...(pkg.dev ? { dev: true } : {}), ...(libc ? { libc: [libc] } : {}), optional: true, os: [os],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} missing optional platform entries`);
