import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { connectPglite } from './db/client.js';

/** The OpenAPI document the code serves, built on a throw-away in-memory database. */
export async function generateOpenApiDocument(): Promise<string> {
  const database = await connectPglite();
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database, logger: false });
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
    await database.close();
  }
}
