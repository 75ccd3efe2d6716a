import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { path: string; headers: Record<string, string>; body: string; event: any };

/** A webhook receiver on loopback: records what each path gets; `down` answers 503, `/fail` 500. */
export async function startReceiver() {
  const received: Received[] = [];
  const state = { down: false, refused: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const path = req.url ?? '/';
      if (state.down || path.startsWith('/fail')) {
        state.refused++;
        res.writeHead(path.startsWith('/fail') ? 500 : 503).end();
        return;
      }
      received.push({ path, headers: req.headers as Record<string, string>, body, event: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    state,
    at: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Polls `cond` until it holds (bounded; not a timing assertion). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, maxMs = 120_000) {
  const until = Date.now() + maxMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
