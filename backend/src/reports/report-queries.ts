import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { MttRow, OpsReport } from '../../../shared/api/reports';
import type { Database } from '../platform/db/schema';

/** A half-open range of epoch ms: `from` <= t < `to`. */
export interface Span {
  from: number;
  to: number;
}

/** Counts and sums come back as strings from PostgreSQL (bigint, numeric) and as numbers from SQLite. */
const num = (v: unknown): number => Number(v ?? 0);
const seconds = (ms: unknown): number | null => (ms === null || ms === undefined ? null : Math.round(Number(ms) / 100) / 10);

type MttSql = { k: string; alerts: unknown; acknowledged: unknown; resolved: unknown; mtta_ms: unknown; mttr_ms: unknown };

/**
 * Mean time to acknowledge and to resolve, per group, in one aggregate over the alerts that started
 * in the span (an acknowledgement or resolution after its end does not count). `key` groups the
 * rows; `join` may bring in a table the key comes from; `cte` is put in front of the statement;
 * `limit` keeps the largest groups.
 */
export async function mttBy(db: Kysely<Database>, span: Span, key: RawBuilder<unknown>, parts: { cte?: RawBuilder<unknown>; join?: RawBuilder<unknown>; limit?: number } = {}): Promise<Omit<MttRow, 'label'>[]> {
  const acked = sql`a.acked_at is not null and a.acked_at < ${span.to}`;
  const resolved = sql`a.resolved_at is not null and a.resolved_at < ${span.to}`;
  const rows = await sql<MttSql>`${parts.cte ?? sql``}
    select ${key} as k, count(*) as alerts,
      sum(case when ${acked} then 1 else 0 end) as acknowledged,
      avg(case when ${acked} then a.acked_at - a.starts_at end) as mtta_ms,
      sum(case when ${resolved} then 1 else 0 end) as resolved,
      avg(case when ${resolved} then a.resolved_at - a.starts_at end) as mttr_ms
    from alerts a ${parts.join ?? sql``}
    where a.starts_at >= ${span.from} and a.starts_at < ${span.to}
    group by 1
    order by count(*) desc, 1
    ${parts.limit ? sql`limit ${sql.lit(parts.limit)}` : sql``}`.execute(db);
  return rows.rows.map((r) => ({ key: String(r.k), alerts: num(r.alerts), acknowledged: num(r.acknowledged), resolved: num(r.resolved), mttaSeconds: seconds(r.mtta_ms), mttrSeconds: seconds(r.mttr_ms) }));
}

/** The policy an alert follows: its own when it still exists, else the default (as the Escalator does). */
export function policyKey(knownPolicyIds: string[], defaultId: string): RawBuilder<unknown> {
  const known = knownPolicyIds.filter((id) => id !== defaultId);
  const fallback = sql`cast(${defaultId} as text)`;
  if (!known.length) return fallback;
  return sql`case when a.policy_id in (${sql.join(known)}) then a.policy_id else ${fallback} end`;
}

/** MTTA/MTTR per schedule: the alerts whose policy names the schedule at any level (`pairs` of policy and schedule ids). */
export async function mttBySchedule(db: Kysely<Database>, span: Span, pairs: [string, string][], policy: RawBuilder<unknown>) {
  if (!pairs.length) return [];
  const cte = sql`with ps(policy_id, schedule_id) as (values ${sql.join(pairs.map(([p, s]) => sql`(cast(${p} as text), cast(${s} as text))`))})`;
  return mttBy(db, span, sql`ps.schedule_id`, { cte, join: sql`join ps on ps.policy_id = ${policy}` });
}

/**
 * Alerts started and pages sent per local day (each day its own bounds: DST days differ in length):
 * one range scan per table, each row put in its day by a CASE over the day boundaries.
 */
export async function perDay(db: Kysely<Database>, days: { day: string; from: number; to: number }[]): Promise<OpsReport['perDay']> {
  if (!days.length) return [];
  const span = { from: days[0]!.from, to: days.at(-1)!.to };
  const count = async (table: 'alerts' | 'alert_pages', col: 'starts_at' | 'at') => {
    const t = sql.ref(col);
    const bucket = days.length === 1 ? sql`0` : sql`case ${sql.join(days.slice(1).map((d, i) => sql`when ${t} < ${d.from} then ${sql.lit(i)}`), sql` `)} else ${sql.lit(days.length - 1)} end`;
    const rows = await sql<{ i: unknown; n: unknown }>`select ${bucket} as i, count(*) as n from ${sql.table(table)} where ${t} >= ${span.from} and ${t} < ${span.to} group by 1`.execute(db);
    return new Map(rows.rows.map((r) => [num(r.i), num(r.n)]));
  };
  const [alerts, pages] = await Promise.all([count('alerts', 'starts_at'), count('alert_pages', 'at')]);
  return days.map((d, i) => ({ day: d.day, from: d.from, alerts: alerts.get(i) ?? 0, pages: pages.get(i) ?? 0 }));
}

export async function bySource(db: Kysely<Database>, span: Span): Promise<OpsReport['bySource']> {
  const rows = await db.selectFrom('alerts').select((eb) => ['source', eb.fn.countAll().as('n')]).where('starts_at', '>=', span.from).where('starts_at', '<', span.to).groupBy('source').orderBy(sql`count(*)`, 'desc').orderBy('source').execute();
  return rows.map((r) => ({ source: r.source, alerts: num(r.n) }));
}

/**
 * On-call load per person: pages claimed by escalation (`alert_pages`), the distinct alerts they
 * were for, notifications sent to the person (`notification_deliveries`), and acknowledgements.
 */
export async function pagesPerPerson(db: Kysely<Database>, span: Span): Promise<OpsReport['pagesPerPerson']> {
  const [pages, sent, acks] = await Promise.all([
    db.selectFrom('alert_pages').select((eb) => ['user_id', eb.fn.countAll().as('pages'), eb.fn.count('alert_id').distinct().as('alerts')]).where('at', '>=', span.from).where('at', '<', span.to).groupBy('user_id').execute(),
    db.selectFrom('notification_deliveries').select((eb) => ['user_id', eb.fn.countAll().as('n')]).where('user_id', 'is not', null).where('status', '=', 'sent').where('created_at', '>=', span.from).where('created_at', '<', span.to).groupBy('user_id').execute(),
    db.selectFrom('alerts').select((eb) => ['acked_by', eb.fn.countAll().as('n')]).where('acked_by', 'is not', null).where('acked_at', '>=', span.from).where('acked_at', '<', span.to).groupBy('acked_by').execute(),
  ]);
  const load = new Map<string, { pages: number; alerts: number; notifications: number; acknowledged: number }>();
  const of = (id: string) => load.get(id) ?? (load.set(id, { pages: 0, alerts: 0, notifications: 0, acknowledged: 0 }), load.get(id)!);
  for (const r of pages) Object.assign(of(r.user_id), { pages: num(r.pages), alerts: num(r.alerts) });
  for (const r of sent) of(r.user_id!).notifications = num(r.n);
  for (const r of acks) of(r.acked_by!).acknowledged = num(r.n);
  if (!load.size) return [];
  const users = await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', [...load.keys()]).execute();
  const named = new Map(users.map((u) => [u.id, u]));
  return [...load.entries()]
    .map(([id, l]) => ({ userId: id, name: named.get(id)?.name ?? '(deleted user)', email: named.get(id)?.email ?? '', ...l }))
    .sort((a, b) => b.pages - a.pages || b.notifications - a.notifications || a.name.localeCompare(b.name));
}

/**
 * SLA compliance per queue: tickets created in the span; tickets resolved in it, and of those the
 * ones resolved with neither deadline breached (nor the resolution past its due time); tickets
 * that breached a deadline in the span.
 */
export async function slaByQueue(db: Kysely<Database>, span: Span): Promise<OpsReport['slaByQueue']> {
  const inSpan = (col: string) => sql`${sql.ref(col)} >= ${span.from} and ${sql.ref(col)} < ${span.to}`;
  const met = sql`resolution_breached_at is null and response_breached_at is null and resolved_at <= resolution_due_at and (first_response_at is null or first_response_at <= response_due_at)`;
  const [created, resolved, breached, queues] = await Promise.all([
    sql<{ queue_id: string; n: unknown }>`select queue_id, count(*) as n from tickets where ${inSpan('created_at')} group by queue_id`.execute(db),
    sql<{ queue_id: string; n: unknown; met: unknown }>`select queue_id, count(*) as n, sum(case when ${met} then 1 else 0 end) as met from tickets where status in ('resolved', 'closed') and ${inSpan('resolved_at')} group by queue_id`.execute(db),
    sql<{ queue_id: string; n: unknown }>`select queue_id, count(*) as n from tickets where (${inSpan('response_breached_at')}) or (${inSpan('resolution_breached_at')}) group by queue_id`.execute(db),
    db.selectFrom('queues').select(['id', 'name']).execute(),
  ]);
  const c = new Map(created.rows.map((r) => [r.queue_id, num(r.n)]));
  const r = new Map(resolved.rows.map((x) => [x.queue_id, { n: num(x.n), met: num(x.met) }]));
  const b = new Map(breached.rows.map((x) => [x.queue_id, num(x.n)]));
  return queues
    .map((q) => {
      const res = r.get(q.id) ?? { n: 0, met: 0 };
      return { queueId: q.id, queue: q.name, created: c.get(q.id) ?? 0, resolved: res.n, met: res.met, breached: b.get(q.id) ?? 0, compliancePercent: res.n ? Math.round((res.met / res.n) * 1000) / 10 : null };
    })
    .filter((q) => q.created + q.resolved + q.breached > 0)
    .sort((x, y) => x.queue.localeCompare(y.queue));
}
