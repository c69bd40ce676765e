import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

const ERROR_LOG_EVERY_MS = 60_000;

/**
 * An `error` listener that logs connection errors (Redis, the database pool) with the connection's name, at most once a
 * minute per connection (clients retry every few hundred ms while the server is down), with the
 * number of errors suppressed since the last line.
 */
export function logConnectionErrors(logger: Logger, name: string, now: () => number = Date.now): (err: Error) => void {
  let lastAt = -Infinity;
  let suppressed = 0;
  return (err) => {
    const t = now();
    if (t - lastAt < ERROR_LOG_EVERY_MS) {
      suppressed++;
      return;
    }
    logger.warn({ err, connection: name, suppressed }, `connection error (${name})`);
    lastAt = t;
    suppressed = 0;
  };
}

/** A Redis client whose connection errors are logged (rate-limited) instead of thrown as unhandled. */
export function connectRedis(url: string, logger: Logger, name: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, options);
  redis.on('error', logConnectionErrors(logger, name));
  return redis;
}
