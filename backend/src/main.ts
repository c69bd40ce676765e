import { ConfigError } from './platform/config/config';
import { loadConfig } from './platform/config/secrets';
import { createLogger, startServer } from './app/server';

/** The standalone backend: `npm run server`. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config);
  // A failure in a background task (say, the database going away mid-query) is logged; it must
  // not take the whole backend down while the health check reports the cause.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection in a background task'));
  const server = await startServer(config, { logger });
  logger.info({ url: server.url, database: server.services.database.dialect, dataDir: config.DATA_DIR }, 'OpsDesk backend listening');

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // A running restore is waited for (it holds shutdown); anything else gets SHUTDOWN_TIMEOUT_MS.
    const force = (): void => {
      if (server.services.jobRunner.holdingShutdown) {
        logger.warn('waiting for a running restore to finish before exiting');
        setTimeout(force, config.SHUTDOWN_TIMEOUT_MS).unref();
        return;
      }
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    };
    setTimeout(force, config.SHUTDOWN_TIMEOUT_MS).unref();
    server.stop().then(
      () => {
        logger.info('stopped cleanly');
        logger.flush(() => process.exit(0));
      },
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        logger.flush(() => process.exit(1));
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`OpsDesk backend failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
