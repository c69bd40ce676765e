import type { Kysely } from 'kysely';
import { thresholdsInOrder, type CreateRuleRequest, type Rule, type RuleAggregation, type Severity, type UpdateRuleRequest } from '../../../shared/api/alerts';
import type { RuleHistoryEntry } from '../../../shared/api/alerts';
import type { z } from 'zod';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import { canonicalLabels, parseJson } from '../alerts/labels';
import { DEFAULT_RULES, type RuleDefinition } from './default-rules';

type Row = Database['alert_rules'];

export function toRule(r: Row): Rule {
  return {
    id: r.id,
    name: r.name,
    metric: r.metric,
    labels: parseJson(r.labels, {}),
    comparison: r.comparison,
    warning: r.warning === null ? null : Number(r.warning),
    critical: r.critical === null ? null : Number(r.critical),
    warningSeverity: r.warning_severity as Severity,
    criticalSeverity: r.critical_severity as Severity,
    forSeconds: Number(r.for_seconds),
    hysteresis: Number(r.hysteresis),
    enabled: r.enabled === 1,
    builtin: r.builtin === 1,
    summary: r.summary,
    aggregation: r.aggregation as RuleAggregation,
    groupBy: parseJson<string[]>(r.group_by, []),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function validate(r: Pick<Rule, 'comparison' | 'warning' | 'critical'>): void {
  if (r.warning === null && r.critical === null) throw new AppError('unprocessable', 'set a warning or a critical level');
  if (!thresholdsInOrder(r)) {
    throw new AppError(
      'unprocessable',
      r.comparison === 'gt' ? 'warning must not be above critical for a "greater than" rule' : 'warning must not be below critical for a "less than" rule',
    );
  }
}

/** Threshold rules, editable by admins; the manuals' defaults are seeded once and can be edited or disabled. */
export class RuleService {
  private cache: Rule[] | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async ensureDefaults(): Promise<void> {
    const existing = new Set((await this.db.selectFrom('alert_rules').select('id').where('builtin', '=', 1).execute()).map((r) => r.id));
    const now = this.clock.now();
    const missing = DEFAULT_RULES.filter((r) => !existing.has(r.id));
    for (const r of missing) await this.db.insertInto('alert_rules').values(this.toRow(r.id, r, r.summary, 1, now)).onConflict((oc) => oc.column('id').doNothing()).execute();
    this.cache = null;
  }

  private toRow(id: string, r: RuleDefinition, summary: string, builtin: number, now: number): Row {
    return {
      id,
      name: r.name,
      metric: r.metric,
      labels: canonicalLabels(r.labels ?? {}),
      comparison: r.comparison,
      warning: r.warning,
      critical: r.critical,
      warning_severity: r.warningSeverity ?? 'medium',
      critical_severity: r.criticalSeverity ?? 'critical',
      for_seconds: r.forSeconds ?? 0,
      hysteresis: r.hysteresis ?? 0,
      enabled: r.enabled === false ? 0 : 1,
      builtin,
      summary,
      created_at: now,
      updated_at: now,
      aggregation: r.aggregation ?? 'none',
      group_by: JSON.stringify(r.groupBy ?? []),
    };
  }

  async list(): Promise<Rule[]> {
    this.cache ??= (await this.db.selectFrom('alert_rules').selectAll().orderBy('name').execute()).map(toRule);
    return this.cache;
  }

  async get(id: string): Promise<Rule> {
    const row = await this.db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Rule');
    return toRule(row);
  }

  async create(actor: Actor, input: CreateRuleRequest): Promise<Rule> {
    validate(input);
    const row = this.toRow(uuid(), input, input.summary ?? `${input.name}: {value} (threshold {threshold})`, 0, this.clock.now());
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('alert_rules').values(row).execute();
      await this.audit.record(actor, { action: 'rule.created', targetType: 'rule', targetId: row.id, details: { name: input.name } }, trx);
    });
    this.cache = null;
    return toRule(row);
  }

  async update(actor: Actor, id: string, patch: UpdateRuleRequest): Promise<Rule> {
    const current = await this.get(id);
    const merged = { ...current, ...patch };
    validate(merged);
    const now = this.clock.now();
    const row = this.toRow(id, merged, merged.summary, current.builtin ? 1 : 0, current.createdAt);
    row.updated_at = now;
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('alert_rules').set(row).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'rule.updated', targetType: 'rule', targetId: id, details: patch as Record<string, unknown> }, trx);
    });
    this.cache = null;
    return toRule(row);
  }

  /** The alerts the rule raised, newest first: its state over time. */
  async history(id: string, limit: number): Promise<z.infer<typeof RuleHistoryEntry>[]> {
    await this.get(id);
    const rows = await this.db.selectFrom('alerts').select(['id', 'starts_at', 'resolved_at', 'status', 'severity', 'annotations', 'summary', 'labels']).where('rule_id', '=', id).orderBy('starts_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      alertId: r.id,
      startsAt: Number(r.starts_at),
      resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
      status: r.status,
      severity: r.severity as Severity,
      level: parseJson<Record<string, string>>(r.annotations, {}).level ?? null,
      summary: r.summary,
      labels: parseJson(r.labels, {}),
    }));
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const rule = await this.get(id);
    if (rule.builtin) throw new AppError('conflict', 'Built-in rules cannot be deleted; disable them instead');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('alert_rules').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'rule.deleted', targetType: 'rule', targetId: id }, trx);
    });
    this.cache = null;
  }
}
