import type Database from 'better-sqlite3';

/**
 * The cache database handle, shared only by the cache's own modules (cache.ts and its
 * repositories): nothing outside electron/core/cache writes SQL.
 */
export class Sql {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** Prepared statements are reused: preparing one costs more than running it. */
  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
