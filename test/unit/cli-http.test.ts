import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Api, backoffMs, retryAfterMs } from '../../src/cli/http.js';
import { readCsv, rejectedPath, table } from '../../src/cli/import.js';

type Reply = (res: import('node:http').ServerResponse, req: import('node:http').IncomingMessage) => void;
let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A tiny service answering requests in turn with the given replies (the last one repeats). */
async function serve(replies: Reply[]) {
  const seen: Array<{ method: string; url: string; key?: string }> = [];
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, key: req.headers['idempotency-key'] as string | undefined });
      if (req.url === '/v1/auth/token') return json(res, 200, { access_token: 't', token_type: 'Bearer', expires_in: 900 });
      const reply = replies[Math.min(seen.filter((s) => s.url !== '/v1/auth/token').length - 1, replies.length - 1)];
      reply(res, req);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  return { url, seen };
}
const json = (res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};
const unavailable = (retryAfter?: string): Reply => (res) => json(res, 503, { title: 'Service unavailable' }, retryAfter ? { 'retry-after': retryAfter } : {});
const hangUp: Reply = (res) => res.socket?.destroy();
const okReply: Reply = (res) => json(res, 200, { fine: true });

function api(url: string, attempts = 5) {
  const waits: number[] = [];
  const retries: string[] = [];
  const client = new Api({
    url, clientId: 'c', clientSecret: 's', attempts,
    sleep: async (ms) => { waits.push(ms); },
    onRetry: ({ reason }) => retries.push(reason),
  });
  return { client, waits, retries };
}

describe('the CLI retries', () => {
  it('retries a 503 with exponential backoff, then succeeds', async () => {
    const { url, seen } = await serve([unavailable(), unavailable(), okReply]);
    const { client, waits, retries } = api(url);
    expect(await client.call('POST', '/v1/measurements/batch', { items: [] }, { 'idempotency-key': 'k1' })).toEqual({ fine: true });
    expect(retries).toEqual(['503', '503']);
    expect(waits[0]).toBeGreaterThanOrEqual(400);
    expect(waits[0]).toBeLessThanOrEqual(600);
    expect(waits[1]).toBeGreaterThanOrEqual(800);
    expect(waits[1]).toBeLessThanOrEqual(1200);
    // The same Idempotency-Key on every attempt: the service answers a retried write once.
    expect(seen.filter((s) => s.url !== '/v1/auth/token').map((s) => s.key)).toEqual(['k1', 'k1', 'k1']);
  });

  it('honours Retry-After on 429 and 503', async () => {
    const { url } = await serve([(res) => json(res, 429, {}, { 'retry-after': '7' }), unavailable('2'), okReply]);
    const { client, waits } = api(url);
    await client.call('GET', '/v1/agencies');
    expect(waits).toEqual([7000, 2000]);
  });

  it('retries a dropped connection', async () => {
    const { url } = await serve([hangUp, okReply]);
    const { client, retries } = api(url);
    expect(await client.call('GET', '/v1/agencies')).toEqual({ fine: true });
    expect(retries).toHaveLength(1);
  });

  it('gives up after the last attempt and reports the status', async () => {
    const { url, seen } = await serve([unavailable('0')]);
    const { client } = api(url, 3);
    await expect(client.call('GET', '/v1/agencies')).rejects.toThrow(/503 Service unavailable/);
    expect(seen.filter((s) => s.url === '/v1/agencies')).toHaveLength(3);
  });

  it('does not retry other errors', async () => {
    const { url, seen } = await serve([(res) => json(res, 409, { title: 'Conflict', detail: 'locked' })]);
    const { client, retries } = api(url);
    await expect(client.call('PUT', '/v1/x', {})).rejects.toThrow(/409 Conflict - locked/);
    expect(retries).toEqual([]);
    expect(seen.filter((s) => s.url === '/v1/x')).toHaveLength(1);
  });
});

describe('CLI helpers', () => {
  it.each([
    ['3', 3000], ['0', 0], [null, undefined], ['soon', undefined], ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
  ])('Retry-After %s is %s ms', (header, ms) => {
    expect(retryAfterMs(header, Date.parse('2026-01-01T00:00:00Z'))).toBe(ms);
  });

  it.each([[1, 500], [2, 1000], [3, 2000], [7, 30_000], [20, 30_000]])('backoff of attempt %i is about %i ms', (attempt, ms) => {
    expect(backoffMs(attempt, () => 0.5)).toBe(ms);
  });

  it('reads a spreadsheet CSV: BOM, `;` by the header, blank lines skipped, file line numbers kept', () => {
    const csv = readCsv('\uFEFFagency_code;indicator_code;period;value\r\nA;I;2026Q1;87,5\r\n\r\nA;"I;2";2026Q2;1\r\n');
    expect(csv).toMatchObject({ bom: true, delimiter: ';', header: ['agency_code', 'indicator_code', 'period', 'value'], errorColumn: false });
    expect(csv.rows).toEqual([{ fields: ['A', 'I', '2026Q1', '87,5'], line: 2 }, { fields: ['A', 'I;2', '2026Q2', '1'], line: 4 }]);
  });

  it('leaves out the error column of a rejected file', () => {
    const csv = readCsv('agency_code,indicator_code,period,value,error\nA,I,2026,1,unknown indicator\n');
    expect(csv).toMatchObject({ errorColumn: true, header: ['agency_code', 'indicator_code', 'period', 'value'], headerLine: 'agency_code,indicator_code,period,value' });
    expect(csv.rows[0].fields).toEqual(['A', 'I', '2026', '1']);
  });

  it('names the rejected file after the input and prints aligned tables', () => {
    expect(rejectedPath('/tmp/q3.csv')).toBe('/tmp/q3.rejected.csv');
    expect(rejectedPath('q3.CSV')).toBe('q3.rejected.csv');
    expect(rejectedPath('q3.txt')).toBe('q3.txt.rejected.csv');
    expect(table(['line', 'error'], [['2', 'bad'], ['10', 'worse']])).toBe('line  error\n----  -----\n2     bad\n10    worse\n');
  });
});
