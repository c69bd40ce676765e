import { cliServices } from '../app/processes';
import type { Services } from '../app/services';
import type { Config } from '../platform/config/config';
import { migrateToLatest } from '../platform/db/migrate';
import { createLogger } from '../platform/logging';

/** Opens the database (migrated) for a command that works without the server, and closes it after. */
export async function withServices<T>(config: Config, fn: (services: Services) => Promise<T>): Promise<T> {
  const services = cliServices(config, { logger: createLogger(config, 2) });
  try {
    await migrateToLatest(services.database);
    return await fn(services);
  } finally {
    await services.lifecycle.stop();
  }
}
