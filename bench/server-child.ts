/**
 * The API in its own process for benchmarks, so the load generator does not share its event loop
 * and its peak RSS (VmHWM) can be read from /proc. Configured by the environment like the real
 * server; reports `{port}` to the parent over IPC once it listens.
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const app = await buildApp({ config: loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' }), logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
const stop = async () => { await app.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('disconnect', stop);
