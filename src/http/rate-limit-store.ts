import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The shared store of rate-limit counters when REDIS_URL is set, so N API processes count one
 * limit per client together. Tuned to fail fast: no offline queue and one try per command, so a
 * Redis outage costs each request one failed round trip (the limiter then skips, `skipOnError`)
 * instead of a stalled request. Waits up to a second for the first connection.
 */
export async function rateLimitRedis(url: string, log: FastifyBaseLogger): Promise<Redis> {
  const redis = new Redis(url, {
    connectTimeout: 500,
    commandTimeout: 500,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Keep trying to come back, at most every 2 s.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let lastWarn = 0;
  redis.on('error', (err) => {
    // One line per 30 s while Redis is away: rate limits are then counted nowhere (skipOnError).
    if (Date.now() - lastWarn < 30_000) return;
    lastWarn = Date.now();
    log.warn({ err: err.message }, 'rate-limit store (Redis) unreachable; requests are served without rate limiting until it answers');
  });
  // Give it a moment to connect, so the first requests are counted too; never block start-up on it.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, 1000);
    function done() { clearTimeout(timer); redis.off('ready', done); resolve(); }
    redis.once('ready', done);
  });
  return redis;
}
