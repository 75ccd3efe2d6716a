import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUnstorable, findUnstorableLines, unstorableReason } from '../../src/http/unstorable-text.js';

describe('unstorable text', () => {
  it.each([
    ['plain text', 'Dinas Kesehatan', false],
    ['an emoji (a surrogate pair)', 'naik 🙂', false],
    ['a NUL', 'a\u0000b', true],
    ['a lone high surrogate', 'a\ud800', true],
    ['a lone low surrogate', '\udc00b', true],
    ['a reversed pair', '\udc00\ud800', true],
  ])('%s -> unstorable %s', (_name, text, bad) => {
    expect(unstorableReason(text) !== null).toBe(bad);
  });

  it('names strings and field names at any depth by their path', () => {
    // an object's field names are checked when the object is reached, before its values
    expect(findUnstorable({ items: [{ note: 'ok' }, { note: 'x\u0000', tags: ['a', '\ud800'] }], ['k\u0000']: 1 })).toEqual([
      { path: 'k\uFFFD', message: expect.stringContaining('field name') },
      { path: 'items.1.note', message: expect.stringContaining('NUL') },
      { path: 'items.1.tags.1', message: expect.stringContaining('surrogate') },
    ]);
    expect(findUnstorable('a\u0000')).toEqual([{ path: '', message: expect.any(String) }]);
    expect(findUnstorable(null)).toEqual([]);
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnstorable(deep)).toHaveLength(1);
  });

  it('names the lines of a text body', () => {
    expect(findUnstorableLines('h\r\nok\r\nbad\u0000\nfine')).toEqual([{ path: 'body', message: expect.stringMatching(/^line 3 /) }]);
  });

  it('finds exactly the strings holding NUL (property)', () => {
    fc.assert(fc.property(fc.array(fc.string()), (strings) => {
      const found = findUnstorable({ s: strings }).map((e) => e.path);
      const expected = strings.flatMap((s, i) => (unstorableReason(s) ? [`s.${i}`] : []));
      expect(found).toEqual(expected.slice(0, 20));
    }));
  });
});
