import { describe, expect, it } from 'vitest';
import { isDataException, isDatabaseError, isDatabaseUnavailable } from '../../src/db/errors.js';

const err = (message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), extra);
/** As drizzle throws it: the SQL in the message, the driver's error as the cause. */
const wrapped = (cause: Error) => err('Failed query: insert into "agencies" ("code") values ($1)\nparams: X', { cause });

describe('database errors', () => {
  it.each([
    ['a reset socket', err('read ECONNRESET', { code: 'ECONNRESET' }), true],
    ['a refused connection', err('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }), true],
    ['a connection to several addresses', new AggregateError([err('x', { code: 'ECONNREFUSED' })], 'connect failed'), true],
    ['a dropped connection', err('Connection terminated unexpectedly'), true],
    ['a broken pooled client', wrapped(err('Client has encountered a connection error and is not queryable')), true],
    ['a server shutting down', wrapped(err('terminating connection due to administrator command', { code: '57P01' })), true],
    ['too many connections', err('sorry, too many clients already', { code: '53300' }), true],
    ['a pool that waited too long', err('timeout exceeded when trying to connect'), true],
    ['a unique violation', wrapped(err('duplicate key value', { code: '23505' })), false],
    ['a bug', new TypeError('x is not a function'), false],
  ])('%s: unavailable %s', (_name, e, unavailable) => {
    expect(isDatabaseUnavailable(e)).toBe(unavailable);
  });

  it.each([
    ['a wrapped unique violation', wrapped(err('duplicate key value', { code: '23505' })), true],
    ['a drizzle wrapper alone', err('Failed query: select 1'), true],
    ['a dropped connection', err('Connection terminated unexpectedly'), true],
    ['a bug', new TypeError('x is not a function'), false],
    ['not an error', 'oops', false],
  ])('%s: a database error %s', (_name, e, expected) => {
    expect(isDatabaseError(e)).toBe(expected);
  });

  it('class 22 is a data exception', () => {
    expect(isDataException(wrapped(err('numeric field overflow', { code: '22003' })))).toBe(true);
    expect(isDataException(wrapped(err('duplicate key value', { code: '23505' })))).toBe(false);
  });
});
