import type { CreateTableBuilder } from 'kysely';
import type { DialectName } from '../dialect';

/** An auto-incrementing integer primary key named `id`: the one column type the dialects spell differently. */
export function autoId<T extends string>(table: CreateTableBuilder<T, never>, dialect: DialectName) {
  return dialect === 'postgres'
    ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
