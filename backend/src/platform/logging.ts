import pino, { type Logger } from 'pino';
import type { Config } from './config/config';

/** The process's pino logger; `dest` 2 (stderr) for commands whose standard output is their answer. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, dest: 1 | 2 = 1): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: 'opsdesk-backend' },
      redact: { paths: ['req.headers.authorization', '*.password', '*.refreshToken', '*.accessToken'], censor: '[redacted]' },
    },
    // Asynchronous writes: a synchronous write per log line cost ~40 % of a small request's
    // throughput. Lines written while a write is in flight go out together; main.ts flushes on exit.
    pino.destination({ dest, sync: false }),
  );
}
