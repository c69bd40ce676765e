import type { Logger } from 'pino';
import { openDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import type { Config } from './config';

/**
 * Several instances on one PostgreSQL database must sign and check tokens with the same secret.
 * When the operator set none, the first instance to start stores the one it generated in the
 * database and every instance uses what is stored there. Runs before the services are wired, on its
 * own short-lived connection (migrating first, so the table exists).
 */
export async function agreeOnJwtSecret(config: Config, logger: Logger, now = Date.now()): Promise<Config> {
  if (!config.JWT_SECRET_GENERATED || !/^postgres(ql)?:/.test(config.DATABASE_URL)) return config;
  const handle = openDatabase(config.DATABASE_URL);
  try {
    await migrateToLatest(handle);
    await handle.db
      .insertInto('server_secrets')
      .values({ name: 'jwt', value: config.JWT_SECRET, created_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await handle.db.selectFrom('server_secrets').select('value').where('name', '=', 'jwt').executeTakeFirstOrThrow();
    if (row.value !== config.JWT_SECRET) logger.info('using the JWT secret the deployment agreed on (kept in the database)');
    return { ...config, JWT_SECRET: row.value };
  } finally {
    await handle.close();
  }
}
