// `npm run openapi` writes openapi/openapi.json from the code; `--check` fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateOpenApiDocument } from '../src/openapi-document.js';

const target = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url));
const fresh = await generateOpenApiDocument();

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== fresh) {
    console.error('openapi/openapi.json is stale: run `npm run openapi` and commit the result.');
    process.exit(1);
  }
  console.log('openapi/openapi.json is up to date');
} else {
  writeFileSync(target, fresh);
  console.log(`wrote ${target}`);
}
