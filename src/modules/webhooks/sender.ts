import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from '../../domain/network.js';

/** A webhook target that may not be called: its name resolves to a private or loopback address. */
export class UnsafeTargetError extends Error {}

type Resolved = Array<{ address: string; family: number }>;

/** The addresses `url` would be sent to, refused when any is private (unless allowed). Names are
 * resolved like the delivery will resolve them (dns.lookup, every address). */
export async function checkTarget(url: string, allowPrivate: boolean): Promise<Resolved> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const addresses: Resolved = isIP(host) ? [{ address: host, family: isIP(host) }] : await dns.promises.lookup(host, { all: true });
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad && !allowPrivate) throw new UnsafeTargetError(`${u.hostname} resolves to ${bad.address}, a private, loopback or link-local address`);
  return addresses;
}

/** A lookup for the delivery's own socket: the address connected to is the address checked, so a
 * name that changes its answer after the subscription (DNS rebinding) is still refused. */
const guardedLookup = (allowPrivate: boolean): LookupFunction => (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as Resolved;
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad && !allowPrivate) return callback(new UnsafeTargetError(`${hostname} resolves to ${bad.address}, a private address`), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: Resolved) => void)(null, list);
    return callback(null, list[0].address, list[0].family);
  });
};

export type SendResult = { ok: boolean; status: number | null; error: string | null };
export type Sender = {
  /** POSTs `body` with `headers`; 2xx is success. Never throws: failures come back as results. */
  post(url: string, body: string, headers: Record<string, string>): Promise<SendResult>;
  close(): void;
};

/** HTTP(S) delivery with keep-alive connections, a timeout per request and the address guard. */
export function createSender(opts: { timeoutMs: number; allowPrivate: boolean }): Sender {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  const lookup = guardedLookup(opts.allowPrivate);
  return {
    async post(url, body, headers) {
      try {
        const u = new URL(url);
        const host = u.hostname.replace(/^\[|\]$/g, '');
        if (isIP(host) && isPrivateAddress(host) && !opts.allowPrivate) throw new UnsafeTargetError(`${host} is a private address`);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UnsafeTargetError('only http and https URLs');
        const lib = u.protocol === 'https:' ? https : http;
        const status = await new Promise<number>((resolve, reject) => {
          const req = lib.request(u, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'sakip-webhooks', ...headers },
            lookup,
            signal: AbortSignal.timeout(opts.timeoutMs),
            agent: agents[u.protocol as 'http:' | 'https:'],
          }, (res) => {
            res.on('error', reject);
            res.on('end', () => resolve(res.statusCode ?? 0));
            res.resume(); // the answer's body is not needed
          });
          req.on('error', reject);
          req.end(body);
        });
        const ok = status >= 200 && status < 300;
        return { ok, status, error: ok ? null : `HTTP ${status}` };
      } catch (err) {
        const e = err as Error;
        return { ok: false, status: null, error: (e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timeout' : e.message).slice(0, 500) };
      }
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
