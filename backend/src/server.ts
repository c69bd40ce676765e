import pino, { type Logger } from 'pino';
import { buildApp, type App } from './app';
import type { Config } from './config/config';
import { createContext, type ContextOptions } from './context';
import { migrateToLatest } from './db/migrate';

export interface RunningServer extends App {
  url: string;
  port: number;
  /** Stops accepting, drains in-flight requests, closes sockets and the database. */
  stop(): Promise<void>;
}

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: 'opsdesk-backend' },
      redact: { paths: ['req.headers.authorization', '*.password', '*.refreshToken', '*.accessToken'], censor: '[redacted]' },
    },
    // Asynchronous writes: a synchronous write per log line cost ~40 % of a small request's
    // throughput. Lines written while a write is in flight go out together; main.ts flushes on exit.
    pino.destination({ dest: 1, sync: false }),
  );
}

export async function startServer(config: Config, options: ContextOptions & { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  const ctx = createContext(config, options);
  try {
    const applied = await migrateToLatest(ctx.database);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const app = await buildApp(ctx, logger);
    await app.http.listen({ host: config.HOST, port: config.PORT });
    const address = app.http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    await ctx.monitoring.start(`http://${host}:${port}`);
    ctx.onClose(() => ctx.monitoring.stop());
    let stopping: Promise<void> | undefined;
    return {
      ...app,
      port,
      url: `http://${host}:${port}`,
      stop: () =>
        (stopping ??= (async () => {
          app.live.disconnectAll();
          await app.http.close();
          await ctx.close();
        })()),
    };
  } catch (err) {
    await ctx.close().catch(() => {});
    throw err;
  }
}
