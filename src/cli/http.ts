// The CLI's HTTP side: a bearer token from the client credentials, and retries with exponential
// backoff on 429, 503 and network errors (honouring Retry-After). The secret is never printed.

export type Connection = {
  url: string;
  clientId?: string;
  clientSecret?: string;
  /** Attempts per request, the first included. */
  attempts?: number;
  /** Waits between attempts (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry (the CLI prints a line on stderr). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
};

export type Answer = { status: number; headers: Headers; body: Buffer; text(): string; json(): unknown };

/** An error answer's parsed body as far as the CLI reads it (RFC 9457, plus the validation errors). */
export type ProblemBody = { title?: string; detail?: string; errors?: Array<{ path?: string; message?: string }>; [key: string]: unknown };

/** The service answered with an error (an RFC 9457 problem when it could). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: ProblemBody | undefined, what: string) {
    super(`${what}: ${status} ${problem?.title ?? ''}${problem?.detail ? ` - ${problem.detail}` : ''}`.trim());
  }
}

const RETRYABLE = new Set([429, 503]);
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** Seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with a little jitter: 0.5 s, 1 s, 2 s, ... up to 30 s. */
export const backoffMs = (attempt: number, random = Math.random) =>
  Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)) * (0.8 + 0.4 * random());

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Api {
  private token: { value: string; until: number } | null = null;
  readonly base: string;

  constructor(private readonly conn: Connection) {
    this.base = conn.url.replace(/\/+$/, '');
  }

  /** One request, retried on 429/503/network errors; any other answer is returned as it is. */
  async send(method: string, path: string, init: { body?: string; headers?: Record<string, string>; auth?: boolean } = {}): Promise<Answer> {
    const attempts = Math.max(1, this.conn.attempts ?? 5);
    const sleep = this.conn.sleep ?? defaultSleep;
    for (let attempt = 1; ; attempt += 1) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.auth !== false) headers.authorization = `Bearer ${await this.bearer()}`;
      let reason: string;
      let delay: number;
      try {
        const res = await fetch(`${this.base}${path}`, { method, headers, body: init.body });
        const body = Buffer.from(await res.arrayBuffer());
        if (!RETRYABLE.has(res.status) || attempt >= attempts) {
          if (res.status === 401 && init.auth !== false && attempt < attempts && this.token) {
            this.token = null; // expired or revoked meanwhile: fetch a new one once
            continue;
          }
          return { status: res.status, headers: res.headers, body, text: () => body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) };
        }
        reason = `${res.status}`;
        delay = retryAfterMs(res.headers.get('retry-after')) ?? backoffMs(attempt);
      } catch (err) {
        if (attempt >= attempts) throw new Error(`${method} ${path}: ${(err as Error).message}${causeOf(err)}`);
        reason = `${(err as Error).message}${causeOf(err)}`;
        delay = backoffMs(attempt);
      }
      this.conn.onRetry?.({ attempt, delayMs: Math.round(delay), reason });
      await sleep(delay);
    }
  }

  /** A request whose answer must be a success; the parsed JSON body. */
  async call<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.send(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    });
    if (res.status >= 300) throw new ApiError(res.status, safeJson(res), `${method} ${path}`);
    return (res.body.length ? res.json() : null) as T;
  }

  private async bearer(): Promise<string> {
    if (this.token && Date.now() < this.token.until) return this.token.value;
    const { clientId, clientSecret } = this.conn;
    if (!clientId || !clientSecret) throw new Error('No credentials: pass --client-id and --client-secret, or set SAKIP_CLIENT_ID and SAKIP_CLIENT_SECRET');
    const res = await this.send('POST', '/v1/auth/token', {
      auth: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });
    if (res.status !== 200) throw new ApiError(res.status, safeJson(res), `token for client ${clientId}`);
    const { access_token: value, expires_in: ttl } = res.json() as { access_token: string; expires_in: number };
    this.token = { value, until: Date.now() + Math.max(10, ttl - 60) * 1000 };
    return value;
  }
}

function safeJson(res: Answer): ProblemBody {
  try {
    return res.json() as ProblemBody;
  } catch {
    return { detail: res.text().slice(0, 200) };
  }
}

const causeOf = (err: unknown) => {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message})` : '';
};
