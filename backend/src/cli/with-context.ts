import type { Config } from '../config/config';
import { createContext, type AppContext } from '../context';
import { migrateToLatest } from '../db/migrate';

/** Opens the database (migrated) for a command that works without the server, and closes it after. */
export async function withContext<T>(config: Config, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = createContext(config);
  try {
    await migrateToLatest(ctx.database);
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
