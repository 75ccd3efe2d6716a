import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The shared store of rate-limit counters when REDIS_URL is set, so N API processes count one
 * limit per client together. Tuned to fail fast: no offline queue and one try per command, so a
 * Redis outage costs each request one failed round trip (the limiter then skips, `skipOnError`)
 * instead of a stalled request.
 */
export function rateLimitRedis(url: string, log: FastifyBaseLogger): Redis {
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
  return redis;
}
