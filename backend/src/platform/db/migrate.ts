import { Migrator, type MigrationResultSet } from 'kysely';
import type { DatabaseHandle } from './connect';
import { allMigrations } from './migrations';

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string | undefined,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

function migrator(handle: Pick<DatabaseHandle, 'db' | 'dialect'>, schema?: string): Migrator {
  return new Migrator({
    db: handle.db,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => allMigrations({ dialect: handle.dialect }) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

/** Brings the schema up to date. All pending migrations run in one transaction: all or nothing. */
export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  return outcome(await migrator(handle).migrateToLatest());
}

/** Applies migrations up to and including `target` (a restore builds a backup's schema this way). */
export async function migrateUpTo(handle: Pick<DatabaseHandle, 'db' | 'dialect'>, target: string | null, schema?: string): Promise<string[]> {
  if (target === null) return outcome(await migrator(handle, schema).migrateToLatest());
  if (!(target in allMigrations({ dialect: handle.dialect }))) throw new MigrationError(`unknown schema version ${target}`, target);
  return outcome(await migrator(handle, schema).migrateTo(target));
}

function outcome(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`migration ${failed ?? '(unknown)'} failed: ${cause}`, failed);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
