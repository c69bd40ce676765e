import type { Logger } from 'pino';
import { createLogger } from '../platform/logging';
import { buildApp, type App } from './http-app';
import type { Config } from '../platform/config/config';
import { serverServices } from './processes';
import type { DatabaseHandle } from '../platform/db/connect';
import type { Clock } from '../platform/clock';
import { migrateToLatest } from '../platform/db/migrate';
import { agreeOnJwtSecret } from '../platform/config/shared-secrets';

export { createLogger };

export interface RunningServer extends App {
  url: string;
  port: number;
  /** Stops accepting, drains in-flight requests, closes sockets and the database. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  clock?: Clock;
  /** An already open database; opened from DATABASE_URL otherwise. */
  database?: DatabaseHandle;
  logger?: Logger;
}

export async function startServer(given: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(given);
  const config = options.database ? given : await agreeOnJwtSecret(given, logger);
  const { services, live } = serverServices(config, { ...options, logger });
  try {
    const applied = await migrateToLatest(services.database);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const app = await buildApp(services, live);
    await app.http.listen({ host: config.HOST, port: config.PORT });
    const address = app.http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    services.monitoringRounds.registerApiCheck(`http://${host}:${port}`);
    await services.lifecycle.start();
    let stopping: Promise<void> | undefined;
    return {
      ...app,
      port,
      url: `http://${host}:${port}`,
      stop: () =>
        (stopping ??= (async () => {
          app.live.disconnectAll();
          await app.http.close();
          await services.lifecycle.stop();
        })()),
    };
  } catch (err) {
    await services.lifecycle.stop().catch((closeErr: unknown) => logger.error({ err: closeErr }, 'closing after a failed start failed'));
    throw err;
  }
}
