import { sql, type Kysely } from 'kysely';
import type { SeriesQuery, SeriesResponse } from '../../../shared/api/metrics';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import { canonicalLabels, parseJson, type LabelSet } from '../alerts/labels';

export interface Sample {
  name: string;
  labels?: LabelSet;
  value: number;
}

interface Latest {
  labels: LabelSet;
  value: number;
  at: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Retention per resolution: raw 24 h, 1-minute rollups 7 days, 1-hour rollups 90 days. */
export const RETENTION = { raw: 24 * HOUR, minute: 7 * 24 * HOUR, hour: 90 * 24 * HOUR } as const;

/**
 * Time series in one table, three resolutions. Raw samples are rolled up into complete minutes,
 * minutes into complete hours; old points are dropped per resolution.
 */
export class MetricStore {
  /** The latest raw value per series by metric name, for the rule evaluator (no query per evaluation). */
  private readonly latest = new Map<string, Map<string, Latest>>();
  private rolledMinute: number | null = null;
  private rolledHour: number | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async write(samples: Sample[], at = this.clock.now()): Promise<void> {
    const rows = samples
      .filter((s) => Number.isFinite(s.value))
      .map((s) => {
        const labels = this.remember(s, at);
        return { name: s.name, labels, res: 0, at, value: s.value, min: s.value, max: s.value, count: 1 };
      });
    for (let i = 0; i < rows.length; i += 200) await this.db.insertInto('metric_points').values(rows.slice(i, i + 200)).execute();
  }

  /** Keeps samples as the series' latest values (rules and previews read them) without storing points. */
  observe(samples: Sample[], at = this.clock.now()): void {
    for (const s of samples) if (Number.isFinite(s.value)) this.remember(s, at);
  }

  private remember(s: Sample, at: number): string {
    const labels = canonicalLabels(s.labels ?? {});
    let byLabels = this.latest.get(s.name);
    if (!byLabels) this.latest.set(s.name, (byLabels = new Map()));
    byLabels.set(labels, { labels: s.labels ?? {}, value: s.value, at });
    return labels;
  }

  /** Staleness: drops the latest values of the series `stale` picks (a target gone or a series no longer exposed). */
  forget(stale: (name: string, labels: LabelSet, at: number) => boolean): number {
    let dropped = 0;
    for (const [name, byLabels] of this.latest) {
      for (const [key, s] of byLabels) {
        if (!stale(name, s.labels, s.at)) continue;
        byLabels.delete(key);
        dropped++;
      }
      if (byLabels.size === 0) this.latest.delete(name);
    }
    return dropped;
  }

  /** Latest value of each series of a metric seen within `maxAgeMs`. */
  current(name: string, maxAgeMs: number): { labels: LabelSet; value: number; at: number }[] {
    const now = this.clock.now();
    return [...(this.latest.get(name)?.values() ?? [])].filter((s) => now - s.at <= maxAgeMs);
  }

  /** Names of the metrics with a latest value (for the rule editor's picker). */
  currentNames(): string[] {
    return [...this.latest.keys()].sort();
  }

  /** Rolls complete minutes and hours up, then drops points past retention. */
  async maintain(): Promise<void> {
    const now = this.clock.now();
    this.rolledMinute ??= await this.watermark(MINUTE);
    this.rolledHour ??= await this.watermark(HOUR);
    const minuteEnd = Math.floor(now / MINUTE) * MINUTE;
    if (minuteEnd > this.rolledMinute) {
      await this.rollup(0, MINUTE, this.rolledMinute, minuteEnd);
      this.rolledMinute = minuteEnd;
    }
    const hourEnd = Math.floor(now / HOUR) * HOUR;
    if (hourEnd > this.rolledHour) {
      await this.rollup(MINUTE, HOUR, this.rolledHour, hourEnd);
      this.rolledHour = hourEnd;
    }
    await this.db.deleteFrom('metric_points').where('res', '=', 0).where('at', '<', now - RETENTION.raw).execute();
    await this.db.deleteFrom('metric_points').where('res', '=', MINUTE).where('at', '<', now - RETENTION.minute).execute();
    await this.db.deleteFrom('metric_points').where('res', '=', HOUR).where('at', '<', now - RETENTION.hour).execute();
  }

  /** End of the last rolled-up bucket, or the start of the oldest source point. */
  private async watermark(res: number): Promise<number> {
    const done = await this.db.selectFrom('metric_points').select((eb) => eb.fn.max('at').as('m')).where('res', '=', res).executeTakeFirst();
    if (done?.m != null) return Number(done.m) + res;
    const first = await this.db.selectFrom('metric_points').select((eb) => eb.fn.min('at').as('m')).where('res', '=', res === MINUTE ? 0 : MINUTE).executeTakeFirst();
    return first?.m != null ? Math.floor(Number(first.m) / res) * res : Math.floor(this.clock.now() / res) * res;
  }

  private async rollup(fromRes: number, toRes: number, from: number, to: number): Promise<void> {
    const bucket = sql<number>`(at - (at % ${sql.lit(toRes)}))`;
    const rows = await this.db
      .selectFrom('metric_points')
      .select([
        'name',
        'labels',
        bucket.as('bucket'),
        sql<number>`sum(value * count)`.as('wsum'),
        sql<number>`min(min)`.as('mn'),
        sql<number>`max(max)`.as('mx'),
        sql<number>`sum(count)`.as('n'),
      ])
      .where('res', '=', fromRes)
      .where('at', '>=', from)
      .where('at', '<', to)
      .groupBy(['name', 'labels', bucket])
      .execute();
    const values = rows.map((r) => ({ name: r.name, labels: r.labels, res: toRes, at: Number(r.bucket), value: Number(r.wsum) / Number(r.n), min: Number(r.mn), max: Number(r.mx), count: Number(r.n) }));
    for (let i = 0; i < values.length; i += 200) await this.db.insertInto('metric_points').values(values.slice(i, i + 200)).execute();
  }

  /** Points bucketed by `step`, read from the finest resolution that still covers the range. */
  async series(query: SeriesQuery): Promise<SeriesResponse> {
    const now = this.clock.now();
    const span = query.to - query.from;
    const stepMs = (query.step ?? Math.max(15, Math.ceil(span / 1000 / 300))) * 1000;
    const age = now - query.from;
    const resolution = stepMs >= HOUR || age > RETENTION.minute ? '1h' : stepMs >= MINUTE || age > RETENTION.raw ? '1m' : 'raw';
    const res = resolution === '1h' ? HOUR : resolution === '1m' ? MINUTE : 0;
    const q = this.db.selectFrom('metric_points').select(['labels', 'at', 'value', 'min', 'max', 'count']).where('name', '=', query.name).where('res', '=', res).where('at', '>=', query.from).where('at', '<', query.to);
    const filters = (query.label ?? []).map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as const);
    const rows = await q.orderBy('at').limit(200_000).execute();
    const bySeries = new Map<string, Map<number, { sum: number; n: number; min: number; max: number }>>();
    for (const r of rows) {
      const b = query.from + Math.floor((r.at - query.from) / stepMs) * stepMs;
      let buckets = bySeries.get(r.labels);
      if (!buckets) bySeries.set(r.labels, (buckets = new Map()));
      const cur = buckets.get(b) ?? { sum: 0, n: 0, min: Infinity, max: -Infinity };
      const n = Number(r.count);
      cur.sum += Number(r.value) * n;
      cur.n += n;
      cur.min = Math.min(cur.min, Number(r.min));
      cur.max = Math.max(cur.max, Number(r.max));
      buckets.set(b, cur);
    }
    const series = [...bySeries]
      .map(([labels, buckets]) => ({ labels: parseJson<LabelSet>(labels, {}), buckets }))
      .filter((s) => filters.every(([k, v]) => s.labels[k] === v))
      .map((s) => ({ labels: s.labels, points: [...s.buckets].map(([t, b]) => [t, b.sum / b.n, b.min, b.max] as [number, number, number, number]) }));
    return { name: query.name, from: query.from, to: query.to, step: stepMs / 1000, resolution, series };
  }

  async names(): Promise<{ name: string; lastAt: number }[]> {
    const rows = await this.db.selectFrom('metric_points').select(['name', (eb) => eb.fn.max('at').as('lastAt')]).groupBy('name').orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, lastAt: Number(r.lastAt) }));
  }

  /**
   * Mean of a metric per series over a period. Each resolution answers for the window it still
   * fully covers (raw for the last 24 h, minutes back to 7 days, hours before), so nothing counts twice.
   */
  async average(name: string, from: number, to: number): Promise<{ labels: LabelSet; mean: number; samples: number }[]> {
    const now = this.clock.now();
    const windows: [number, number, number][] = [
      [0, Math.max(from, now - RETENTION.raw), to],
      [MINUTE, Math.max(from, now - RETENTION.minute), Math.min(to, now - RETENTION.raw)],
      [HOUR, from, Math.min(to, now - RETENTION.minute)],
    ];
    const acc = new Map<string, { wsum: number; n: number }>();
    for (const [res, a, b] of windows) {
      if (b <= a) continue;
      const rows = await this.db
        .selectFrom('metric_points')
        .select(['labels', sql<number>`sum(value * count)`.as('wsum'), sql<number>`sum(count)`.as('n')])
        .where('name', '=', name)
        .where('res', '=', res)
        .where('at', '>=', a)
        .where('at', '<', b)
        .groupBy('labels')
        .execute();
      for (const r of rows) {
        const cur = acc.get(r.labels) ?? { wsum: 0, n: 0 };
        cur.wsum += Number(r.wsum);
        cur.n += Number(r.n);
        acc.set(r.labels, cur);
      }
    }
    return [...acc].map(([labels, v]) => ({ labels: parseJson<LabelSet>(labels, {}), mean: v.wsum / v.n, samples: v.n }));
  }

}
