import type { FieldError } from './problem.js';

/**
 * Text PostgreSQL cannot store: `text` and `jsonb` refuse the NUL character (U+0000), and a lone
 * UTF-16 surrogate is not Unicode at all (jsonb refuses its `\ud800` escape; text would silently
 * get U+FFFD). Found at the edge they are a 400 naming where, never a database error (a 500).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_REPORTED = 20;

export function unstorableReason(text: string): string | null {
  if (text.includes('\0')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone surrogate (not valid Unicode), which cannot be stored';
  return null;
}

/**
 * Every unstorable string in a value (strings, object keys, array items at any depth), with its
 * path as the problem `errors[].path` names it: `items.0.note`, prefixed by `prefix` when given.
 * Walks with its own stack: a deeply nested body cannot overflow the call stack.
 */
export function findUnstorable(value: unknown, prefix = ''): FieldError[] {
  const found: FieldError[] = [];
  const stack: Array<[unknown, string]> = [[value, prefix]];
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (stack.length && found.length < MAX_REPORTED) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const reason = unstorableReason(v);
      if (reason) found.push({ path, message: reason });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], join(path, String(i))]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i];
        const reason = unstorableReason(k);
        // The path names the field readably: its unstorable characters shown as U+FFFD.
        const name = reason ? k.replace(/[\0\uD800-\uDFFF]/g, '\uFFFD') : k;
        if (reason) found.push({ path: join(path, name), message: `the field name ${reason}` });
        stack.push([child, join(path, name)]);
      }
    }
  }
  return found;
}

/** A text body (CSV): the lines that hold unstorable text, counted from 1 like batch rows. */
export function findUnstorableLines(text: string, path = 'body'): FieldError[] {
  if (!unstorableReason(text)) return [];
  const found: FieldError[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length && found.length < MAX_REPORTED; i++) {
    const reason = unstorableReason(lines[i]);
    if (reason) found.push({ path, message: `line ${i + 1} ${reason}` });
  }
  return found;
}
