#!/usr/bin/env node
/* global process, URL */
// The `sakip` command: the compiled CLI (dist/cli, built by `npm run build`), or its TypeScript
// source through tsx when the package has not been built.
import { existsSync } from 'node:fs';

process.env.SAKIP_CLI_MAIN = '1';
const compiled = new URL('../dist/cli/index.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/index.ts', import.meta.url).href);
}
