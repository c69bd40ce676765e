import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from '../platform/db/dialect';

/**
 * The feed's JSON written by the database itself, in the reader thread on SQLite: a sync page or a
 * snapshot page comes back as one string instead of thousands of rows to copy across threads and
 * concatenate on the event loop. Stored records are JSON text and are spliced in as they are.
 * Numbers are the integer columns as text; strings are quoted by the database's JSON quoting.
 */
export class FeedJson {
  constructor(private readonly dialect: DialectName) {}

  /** A text column as a JSON string literal. */
  quote(column: RawBuilder<unknown>): RawBuilder<string> {
    return this.dialect === 'postgres' ? sql<string>`to_json(${column}::text)::text` : sql<string>`json_quote(${column})`;
  }

  /** An integer column as its decimal text. */
  int(column: RawBuilder<unknown>): RawBuilder<string> {
    return sql<string>`cast(${column} as text)`;
  }

  /** Concatenates `expr` over the rows in `order`, joined by `separator` (NULLs skipped; NULL when none). */
  join(expr: RawBuilder<unknown>, separator: ',' | '\n', order: RawBuilder<unknown>): RawBuilder<string | null> {
    const sep = separator === ',' ? sql.lit(',') : this.dialect === 'postgres' ? sql`chr(10)` : sql`char(10)`;
    return this.dialect === 'postgres' ? sql<string | null>`string_agg(${expr}, ${sep} order by ${order})` : sql<string | null>`group_concat(${expr}, ${sep} order by ${order})`;
  }
}
