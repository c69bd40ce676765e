import type { CreateTableBuilder } from 'kysely';
import type { DialectName } from '../dialect';

/** An auto-incrementing integer primary key: the one column type the dialects spell differently. */
export function autoId<T extends string>(table: CreateTableBuilder<T, never>, dialect: DialectName, name = 'id') {
  return dialect === 'postgres'
    ? table.addColumn(name, 'bigserial', (c) => c.primaryKey())
    : table.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
}
