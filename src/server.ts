import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { isDatabaseError } from './db/errors.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp({ config });
  // Explicit server timeouts: slow clients cannot hold sockets forever.
  app.server.requestTimeout = 120_000;
  app.server.headersTimeout = 30_000;
  app.server.keepAliveTimeout = 65_000;

  closeWithGrace({ delay: 15_000, skip: ['uncaughtException', 'unhandledRejection'] }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    await app.close();
  });
  // A database error outside any request (a dropped connection, a background clean-up) is logged
  // and the process serves on: requests answer 503 until the database is back. Anything else is
  // a bug: close gracefully and exit 1 so that a supervisor restarts a clean process.
  let failing = false;
  const onFault = (origin: string) => (err: unknown) => {
    if (isDatabaseError(err)) {
      app.log.error({ err, origin }, 'database error outside a request; still serving');
      return;
    }
    app.log.error({ err, origin }, 'closing after an error');
    if (failing) process.exit(1);
    failing = true;
    setTimeout(() => process.exit(1), 15_000).unref();
    app.close().finally(() => process.exit(1));
  };
  process.on('uncaughtException', onFault('uncaughtException'));
  process.on('unhandledRejection', onFault('unhandledRejection'));

  await app.listen({ host: config.HOST, port: config.PORT });
  app.log.info({ driver: app.database.driver }, 'sakip is ready');
}

main().catch((err) => {
  console.error('sakip failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
