import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The embedded database (PGlite) is one process's: a second process opening the same data
 * directory would write beside the first one and corrupt or silently lose data. Every process
 * that opens a data directory first creates `<dir>/.lock` exclusively (O_EXCL) with its pid,
 * host and start time, and removes it on close. A lock left by a process that died is detected
 * (its pid is gone, or is now a different process) and taken over.
 */
export const LOCK_FILE = '.lock';

export type LockHolder = {
  pid: number;
  host: string;
  startedAt: string;
  /** Linux: the holder's start time in clock ticks since boot (tells a reused pid apart). */
  procStart?: string;
  bootId?: string;
};

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly holder: LockHolder | null) {
    const who = holder
      ? `process ${holder.pid} on host ${holder.host} (started ${holder.startedAt})`
      : 'another process (its lock file is unreadable)';
    super(
      `The data directory ${dataDir} is in use by ${who}. The embedded database allows one process at a ` +
      `time: stop that process first, or use a PostgreSQL server (DATABASE_URL) for several processes. ` +
      `If that process no longer runs, delete ${join(dataDir, LOCK_FILE)}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** Directories this process holds, so that its own pid in a lock file is told apart from a
 * previous incarnation that had the same pid (common in containers, where the server is pid 1). */
const heldHere = new Set<string>();

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat: when the process started (undefined off Linux). */
function procStartOf(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces: count after the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

const bootId = () => readProc('/proc/sys/kernel/random/boot_id')?.trim();

function me(): LockHolder {
  return { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), procStart: procStartOf(process.pid), bootId: bootId() };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process named by a lock file still holds it. Another host's lock is assumed
 * held: its pid cannot be checked from here. */
export function holderAlive(holder: LockHolder, dir: string): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.bootId && bootId() && holder.bootId !== bootId()) return false;
  if (holder.pid === process.pid) return heldHere.has(dir);
  if (!Number.isInteger(holder.pid) || holder.pid <= 0 || !pidAlive(holder.pid)) return false;
  // The pid exists; if it started at another time it is another process that reuses the pid.
  const now = procStartOf(holder.pid);
  return !(holder.procStart && now && now !== holder.procStart);
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed?.pid === 'number' ? (parsed as LockHolder) : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data directory's lock or throws DataDirLockedError naming the holder. Call it
 * before the database opens the directory; call the returned function after it closed.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  const file = join(dir, LOCK_FILE);
  const mine = me();
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      // An unreadable file may be a lock being written right now: give it a moment.
      if (!holder && attempt < 2) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        continue;
      }
      if (!holder || holderAlive(holder, dir)) throw new DataDirLockedError(dir, holder);
      // Stale: its process is gone. Remove it and try again (O_EXCL settles a race between two).
      try {
        unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(mine));
    } finally {
      closeSync(fd);
    }
    heldHere.add(dir);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      heldHere.delete(dir);
      // Only our own lock: never remove one a later process took over.
      const holder = readHolder(file);
      if (holder && holder.pid === mine.pid && holder.startedAt === mine.startedAt) {
        try { unlinkSync(file); } catch { /* already gone */ }
      }
    };
  }
  throw new DataDirLockedError(dir, readHolder(file));
}
