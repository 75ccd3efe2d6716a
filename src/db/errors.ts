/** The SQLSTATE of a database error, whichever driver raised it (drizzle wraps them in `cause`). */
export function pgErrorCode(err: unknown): string | undefined {
  let e: any = err;
  for (let i = 0; e && i < 4; i++, e = e.cause) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  let e: any = err;
  for (let i = 0; e && i < 4; i++, e = e.cause) if (typeof e.constraint === 'string') return e.constraint;
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

/** The period refused by the database's own lock guard (migration 0012: SQLSTATE SK409), if that
 * is what `err` is. The write gate refuses first; this is the net under paths that forget. */
export function lockedPeriodOf(err: unknown): string | undefined {
  if (pgErrorCode(err) !== 'SK409') return undefined;
  let e: any = err;
  for (let i = 0; e && i < 4; i++, e = e.cause) if (typeof e.detail === 'string') return e.detail;
  return 'of this write';
}
