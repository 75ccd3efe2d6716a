import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { processFaultHandler } from './process-faults.js';

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
  // Database errors outside requests are logged, not fatal (src/process-faults.ts).
  const onFault = processFaultHandler({ log: app.log, close: () => app.close(), exit: (code) => process.exit(code) });
  process.on('uncaughtException', onFault('uncaughtException'));
  process.on('unhandledRejection', onFault('unhandledRejection'));

  await app.listen({ host: config.HOST, port: config.PORT });
  app.log.info({ driver: app.database.driver }, 'sakip is ready');
}

main().catch((err) => {
  console.error('sakip failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
