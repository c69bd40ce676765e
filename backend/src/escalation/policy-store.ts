import type { Kysely } from 'kysely';
import { EscalationLevel as LevelSchema, type EscalationLevel } from '../../../shared/api/alerts';
import { DEFAULT_POLICY_ID, type Policy, type PolicyInput } from '../../../shared/api/escalation';
import type { Actor, AuditLog } from '../audit/audit-log';
import { parseJson, type LabelSet } from '../alerts/labels';
import type { Database } from '../platform/db/schema';
import type { Clock } from '../platform/clock';
import { AppError, notFound } from '../platform/http/errors';
import { uuid } from '../platform/ids';

/**
 * The manuals' escalation procedure: on-call engineer at once, team lead after 30 min, manager after
 * 60 min, director after 120 min. OpsDesk has no lead/manager/director roles, so those levels target
 * admins until an admin names users or schedules for them.
 */
export const DEFAULT_LEVELS: EscalationLevel[] = [
  { name: 'On-call engineer', afterMinutes: 0, roles: ['oncall'], userIds: [], scheduleIds: [] },
  { name: 'Team lead', afterMinutes: 30, roles: ['admin'], userIds: [], scheduleIds: [] },
  { name: 'Manager', afterMinutes: 60, roles: ['admin'], userIds: [], scheduleIds: [] },
  { name: 'Director', afterMinutes: 120, roles: ['admin'], userIds: [], scheduleIds: [] },
];

const DEFAULT_POLICY: Policy = { id: DEFAULT_POLICY_ID, name: 'Default', match: {}, repeat: 0, ackTimeoutMinutes: null, levels: DEFAULT_LEVELS, position: Number.MAX_SAFE_INTEGER, isDefault: true, updatedAt: null };

type Row = Database['escalation_policies'];

function toPolicy(r: Row): Policy {
  const isDefault = r.id === DEFAULT_POLICY_ID;
  // Levels stored before schedules existed have no scheduleIds: the schema's defaults fill them in.
  const levels = parseJson<unknown[]>(r.levels, []).map((l) => LevelSchema.parse(l));
  return {
    id: r.id,
    name: r.name,
    match: isDefault ? {} : parseJson<Record<string, string>>(r.match, {}),
    repeat: Number(r.repeat),
    ackTimeoutMinutes: r.ack_timeout_minutes === null ? null : Number(r.ack_timeout_minutes),
    levels: levels.length ? levels : DEFAULT_LEVELS,
    position: isDefault ? Number.MAX_SAFE_INTEGER : Number(r.position),
    isDefault,
    updatedAt: Number(r.updated_at),
  };
}

/** Whether an alert's labels (with alertname and severity) carry every label the policy matches. */
export function policyMatches(policy: Pick<Policy, 'match' | 'isDefault'>, labels: LabelSet): boolean {
  return policy.isDefault || Object.entries(policy.match).every(([k, v]) => labels[k] === v);
}

/** Escalation policies, read once and cached until one changes (an alert storm routes from memory). */
export class PolicyStore {
  private cached: Policy[] | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** Every policy, in matching order, the default last (built in until an admin edits it). */
  async list(): Promise<Policy[]> {
    if (this.cached) return this.cached;
    const rows = await this.db.selectFrom('escalation_policies').selectAll().execute();
    const policies = rows.map(toPolicy);
    if (!policies.some((p) => p.isDefault)) policies.push(DEFAULT_POLICY);
    this.cached = policies.sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
    return this.cached;
  }

  async get(id: string): Promise<Policy> {
    const p = (await this.list()).find((x) => x.id === id);
    if (!p) throw notFound('Escalation policy');
    return p;
  }

  /** The policy a new alert follows: the first whose labels it carries, else the default. */
  async route(labels: LabelSet): Promise<Policy> {
    return (await this.list()).find((p) => policyMatches(p, labels))!;
  }

  /** A policy by id, or the default when it was deleted since the alert started following it. */
  async forAlert(policyId: string | null): Promise<Policy> {
    const list = await this.list();
    return list.find((p) => p.id === policyId) ?? list.find((p) => p.isDefault)!;
  }

  private async checkTargets(levels: EscalationLevel[]): Promise<void> {
    const users = [...new Set(levels.flatMap((l) => l.userIds))];
    const schedules = [...new Set(levels.flatMap((l) => l.scheduleIds))];
    const foundUsers = users.length ? (await this.db.selectFrom('users').select('id').where('id', 'in', users).execute()).map((r) => r.id) : [];
    const foundSchedules = schedules.length ? (await this.db.selectFrom('oncall_schedules').select('id').where('id', 'in', schedules).execute()).map((r) => r.id) : [];
    const missing = [...users.filter((u) => !foundUsers.includes(u)).map((u) => `user ${u}`), ...schedules.filter((s) => !foundSchedules.includes(s)).map((s) => `schedule ${s}`)];
    if (missing.length) throw new AppError('unprocessable', `a level targets what does not exist: ${missing.join(', ')}`);
  }

  async save(actor: Actor, id: string | null, input: PolicyInput): Promise<Policy> {
    await this.checkTargets(input.levels);
    const existing = id ? await this.get(id) : null;
    const isDefault = existing?.isDefault ?? false;
    if (!isDefault && Object.keys(input.match).length === 0) throw new AppError('unprocessable', 'a policy other than the default must match at least one label (for example service=db)');
    const list = await this.list();
    const policyId = id ?? uuid();
    const position = existing && !isDefault ? existing.position : isDefault ? 0 : Math.max(0, ...list.filter((p) => !p.isDefault).map((p) => p.position)) + 1;
    const values = { name: input.name, match: JSON.stringify(isDefault ? {} : input.match), position, repeat: input.repeat, ack_timeout_minutes: input.ackTimeoutMinutes, levels: JSON.stringify(input.levels), updated_at: this.clock.now() };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('escalation_policies')
        .values({ id: policyId, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
      await this.audit.record(actor, { action: existing ? 'escalation_policy.updated' : 'escalation_policy.created', targetType: 'escalation_policy', targetId: policyId, details: { ...input } }, trx);
    });
    this.cached = null;
    return this.get(policyId);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const p = await this.get(id);
    if (p.isDefault) throw new AppError('conflict', 'the default policy cannot be deleted (edit its levels instead)');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('escalation_policies').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'escalation_policy.deleted', targetType: 'escalation_policy', targetId: id }, trx);
    });
    this.cached = null;
  }
}
