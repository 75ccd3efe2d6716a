/** The fields read off an error or its causes, whichever driver raised it (all optional, none trusted). */
type ErrorLike = { code?: unknown; constraint?: unknown; detail?: unknown; message?: unknown; stack?: unknown; cause?: unknown; errors?: unknown } | null | undefined;

/** The SQLSTATE of a database error, whichever driver raised it (drizzle wraps them in `cause`). */
export function pgErrorCode(err: unknown): string | undefined {
  let e = err as ErrorLike;
  for (let i = 0; e && i < 4; i++, e = e.cause as ErrorLike) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  let e = err as ErrorLike;
  for (let i = 0; e && i < 4; i++, e = e.cause as ErrorLike) if (typeof e.constraint === 'string') return e.constraint;
  return undefined;
}

export const isUniqueViolation = (err: unknown) => pgErrorCode(err) === '23505';
export const isForeignKeyViolation = (err: unknown) => pgErrorCode(err) === '23503';
export const isSerializationFailure = (err: unknown) => ['40001', '40P01'].includes(pgErrorCode(err) ?? '');

/** Runs `fn`; a unique violation it raises (a race past an explicit check) becomes `problem()`. */
export async function onUniqueViolation<T>(fn: () => Promise<T>, problem: (err: unknown) => Error): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw problem(err);
    throw err;
  }
}

/** Errors and their causes (drizzle wraps driver errors in `Failed query: …` with `cause`; a
 * connection to several addresses fails with an AggregateError of them). */
function* causes(err: unknown): Generator<NonNullable<ErrorLike>> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length && seen.size < 10) {
    const e = queue.shift() as ErrorLike;
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    yield e;
    queue.push(e.cause, ...(Array.isArray(e.errors) ? e.errors : []));
  }
}

const UNAVAILABLE_CODES = new Set([
  // sockets
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // PostgreSQL: admin shutdown, crash, cannot connect now, connection exceptions, too many connections
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300',
]);
const UNAVAILABLE_MESSAGES = new RegExp([
  'pool after calling end', 'Connection terminated', 'is not queryable', // pg: a client whose connection broke
  'PGlite is closed', 'database timeout', 'timeout exceeded when trying to connect', 'Connection timeout',
  'Query read timeout', 'terminating connection', 'the database system is (starting up|shutting down|in recovery)',
].join('|'), 'i');

/** Lost or refused database connections: a 503 the client may retry, not a bug. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    if (UNAVAILABLE_CODES.has(e.code as string)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** Any error raised by the database or its driver (what must never end the process). */
export function isDatabaseError(err: unknown): boolean {
  if (isDatabaseUnavailable(err) || pgErrorCode(err)) return true;
  for (const e of causes(err)) {
    if (typeof e.message === 'string' && e.message.startsWith('Failed query')) return true;
    if (typeof e.stack === 'string' && /node_modules[\\/](pg|pg-pool|pg-protocol|@electric-sql[\\/]pglite|drizzle-orm)[\\/]/.test(e.stack)) return true;
  }
  return false;
}

/** SQLSTATE class 22 (data exception: a value out of range, malformed, unstorable): the request's
 * fault, not the service's, when a value got past validation to the database. */
export const isDataException = (err: unknown) => pgErrorCode(err)?.startsWith('22') ?? false;

/** The period refused by the database's own lock guard (migration 0008_period_lock_guard: SQLSTATE SK409), if that
 * is what `err` is. The write gate refuses first; this is the net under paths that forget. */
export function lockedPeriodOf(err: unknown): string | undefined {
  if (pgErrorCode(err) !== 'SK409') return undefined;
  let e = err as ErrorLike;
  for (let i = 0; e && i < 4; i++, e = e.cause as ErrorLike) if (typeof e.detail === 'string') return e.detail;
  return 'of this write';
}
