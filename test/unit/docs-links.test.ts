import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The docs travel with a clone: every link stays inside the repository and points at something.
const files = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');

describe('documentation links', () => {
  it('README and docs/ exist with a LICENSE', () => {
    for (const f of ['docs/API.md', 'docs/DOMAIN.md', 'docs/GLOSSARY.md', 'docs/OPERATIONS.md', 'docs/RULES.md', 'LICENSE']) {
      expect(existsSync(f), f).toBe(true);
    }
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License/);
  });

  for (const file of files) {
    it(`${file}: every link is relative, resolves, and its anchor exists`, () => {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/\.\.\/shared|\/work\//);
      const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
      for (const link of links) {
        expect(link, `${file}: ${link}`).not.toMatch(/^[a-z]+:/i);
        const [path, anchor] = link.split('#');
        const target = path ? join(dirname(file), path) : file;
        expect(existsSync(target), `${file}: ${link}`).toBe(true);
        if (anchor && target.endsWith('.md')) {
          const headings = [...readFileSync(target, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1]));
          expect(headings, `${file}: ${link}`).toContain(anchor);
        }
      }
    });
  }
});
