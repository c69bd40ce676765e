import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema';

export type Level = 'warning' | 'critical';

export interface PendingCondition {
  ruleId: string;
  level: Level;
  /** When the condition started breaching: its `for` duration counts from here. */
  since: number;
  /** Last time an evaluation saw it still breaching (refreshed at most every CHECK_REFRESH_MS). */
  checkedAt: number;
}

/** `checked_at` is written at most this often per condition, not on every evaluation. */
const CHECK_REFRESH_MS = 60_000;

/**
 * A condition not seen breaching for this long starts its `for` wait again: after a long outage
 * nobody knows whether it held meanwhile (Prometheus' --rules.alert.for-outage-tolerance, 1 h).
 */
export const OUTAGE_TOLERANCE_MS = 3_600_000;

/**
 * Threshold conditions waiting out their rule's `for` duration, keyed by alert fingerprint. Kept in
 * memory for the evaluator and mirrored in `alert_rule_pending` (migration 0022) so a restart
 * continues the wait instead of starting it from zero. Rows are written only when a condition
 * starts, changes level or clears, plus a `checked_at` refresh once a minute.
 */
export class PendingConditions {
  private map: Map<string, PendingCondition> | null = null;
  private readonly dirty = new Set<string>();
  private readonly cleared = new Set<string>();

  constructor(private readonly db: Kysely<Database>) {}

  /** Loads the stored conditions once; those unconfirmed for longer than the tolerance are dropped. */
  async load(now: number): Promise<void> {
    if (this.map) return;
    const rows = await this.db.selectFrom('alert_rule_pending').selectAll().execute();
    this.map = new Map();
    for (const r of rows) {
      if (now - Number(r.checked_at) > OUTAGE_TOLERANCE_MS) this.cleared.add(r.fingerprint);
      else this.map.set(r.fingerprint, { ruleId: r.rule_id, level: r.level as Level, since: Number(r.since), checkedAt: Number(r.checked_at) });
    }
  }

  private entries(): Map<string, PendingCondition> {
    if (!this.map) throw new Error('PendingConditions.load() was not called');
    return this.map;
  }

  /** Records that `fingerprint` breaches at `level` now; returns since when it has been pending. */
  observe(fingerprint: string, ruleId: string, level: Level, now: number): number {
    const map = this.entries();
    let p = map.get(fingerprint);
    if (p && now - p.checkedAt > OUTAGE_TOLERANCE_MS) p = undefined; // lost track of it: wait again
    if (!p) {
      p = { ruleId, level, since: now, checkedAt: now };
      map.set(fingerprint, p);
      this.cleared.delete(fingerprint);
      this.dirty.add(fingerprint);
    } else if (p.level !== level || now - p.checkedAt >= CHECK_REFRESH_MS) {
      p.level = level;
      p.checkedAt = now;
      this.dirty.add(fingerprint);
    }
    return p.since;
  }

  clear(fingerprint: string): void {
    if (this.entries().delete(fingerprint)) {
      this.dirty.delete(fingerprint);
      this.cleared.add(fingerprint);
    }
  }

  /** Forgets conditions of rules that are no longer enabled. */
  retainRules(ruleIds: Set<string>): void {
    for (const [fp, p] of this.entries()) if (!ruleIds.has(p.ruleId)) this.clear(fp);
  }

  get size(): number {
    return this.entries().size;
  }

  /** Writes what changed since the last flush, in one transaction. */
  async flush(): Promise<void> {
    if (this.dirty.size === 0 && this.cleared.size === 0) return;
    const map = this.entries();
    const upserts = [...this.dirty].map((fp) => {
      const p = map.get(fp)!;
      return { fingerprint: fp, rule_id: p.ruleId, level: p.level, since: p.since, checked_at: p.checkedAt };
    });
    const deletes = [...this.cleared];
    this.dirty.clear();
    this.cleared.clear();
    try {
      await this.db.transaction().execute(async (trx) => {
        for (let i = 0; i < deletes.length; i += 500) await trx.deleteFrom('alert_rule_pending').where('fingerprint', 'in', deletes.slice(i, i + 500)).execute();
        for (let i = 0; i < upserts.length; i += 200) {
          await trx
            .insertInto('alert_rule_pending')
            .values(upserts.slice(i, i + 200))
            .onConflict((oc) =>
              oc.column('fingerprint').doUpdateSet((eb) => ({
                rule_id: eb.ref('excluded.rule_id'),
                level: eb.ref('excluded.level'),
                since: eb.ref('excluded.since'),
                checked_at: eb.ref('excluded.checked_at'),
              })),
            )
            .execute();
        }
      });
    } catch (err) {
      // Not written: try again with the next evaluation.
      for (const u of upserts) if (map.has(u.fingerprint)) this.dirty.add(u.fingerprint);
      for (const fp of deletes) if (!map.has(fp)) this.cleared.add(fp);
      throw err;
    }
  }
}
