import type { Kysely, Updateable } from 'kysely';
import type { Database } from '../platform/db/schema';

type DeliveryRow = Database['notification_deliveries'];
export type DeliveryOutcome = Updateable<DeliveryRow>;

/** Rows per statement: 14 parameters a delivery row stay far below SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

/**
 * The Notifier's writes to `notification_deliveries`, batched: an alert storm records thousands of
 * deliveries and thousands of attempt outcomes within seconds, and one statement each (one commit
 * each on SQLite) was most of its cost.
 * - `insert`: group commit. Rows handed in while a write is running go out together in the next
 *   one; a call resolves once its own rows are committed (all of a write's chunks in one transaction).
 * - `outcome`: the outcomes of attempts that finish in the same turn of the event loop (desktops'
 *   confirmations arrive together) are written together in one transaction, one UPDATE … WHERE id
 *   IN (…) per distinct outcome. A call resolves once its row is written, so "sent" still means confirmed and stored.
 */
export class DeliveryWrites {
  private pendingRows: { rows: DeliveryRow[]; done: Deferred }[] = [];
  private inserting: Promise<void> | null = null;
  private pendingOutcomes = new Map<string, { patch: DeliveryOutcome; ids: string[]; done: Deferred }>();
  private outcomeTimer: NodeJS.Immediate | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  insert(rows: DeliveryRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    const done = deferred();
    this.pendingRows.push({ rows, done });
    this.inserting ??= this.drainInserts();
    return done.promise;
  }

  private async drainInserts(): Promise<void> {
    while (this.pendingRows.length) {
      const batch = this.pendingRows.splice(0);
      const rows = batch.flatMap((b) => b.rows);
      try {
        if (rows.length <= CHUNK) await this.db.insertInto('notification_deliveries').values(rows).execute();
        else
          await this.db.transaction().execute(async (trx) => {
            for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('notification_deliveries').values(rows.slice(i, i + CHUNK)).execute();
          });
        for (const b of batch) b.done.resolve();
      } catch (err) {
        for (const b of batch) b.done.reject(err);
      }
    }
    this.inserting = null;
  }

  outcome(id: string, patch: DeliveryOutcome): Promise<void> {
    const key = JSON.stringify(patch);
    let group = this.pendingOutcomes.get(key);
    if (!group) {
      group = { patch, ids: [], done: deferred() };
      this.pendingOutcomes.set(key, group);
    }
    group.ids.push(id);
    this.outcomeTimer ??= setImmediate(() => void this.writeOutcomes());
    return group.done.promise;
  }

  private async writeOutcomes(): Promise<void> {
    this.outcomeTimer = null;
    const groups = [...this.pendingOutcomes.values()];
    this.pendingOutcomes.clear();
    const write = async (db: Kysely<Database>) => {
      for (const g of groups) for (let i = 0; i < g.ids.length; i += CHUNK) await db.updateTable('notification_deliveries').set(g.patch).where('id', 'in', g.ids.slice(i, i + CHUNK)).execute();
    };
    try {
      // Outcomes differ by their timestamps: several statements, one commit.
      if (groups.length === 1 && groups[0]!.ids.length <= CHUNK) await write(this.db);
      else await this.db.transaction().execute(write);
      for (const g of groups) g.done.resolve();
    } catch (err) {
      for (const g of groups) g.done.reject(err);
    }
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
