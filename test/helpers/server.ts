import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from './app.js';

export type TestServer = TestApp & { url: string };

/** The real app on a fresh database, listening on a random local port (for HTTP clients and the CLI). */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const t = await createTestApp(overrides);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return { ...t, url: `http://127.0.0.1:${port}` };
}
