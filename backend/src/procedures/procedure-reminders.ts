import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import type { RoleNotices } from './role-notices';

/**
 * Reminds a run's role once when the run falls due unfinished: an emergency past its response time,
 * a checklist not done by the start of its next period. The claim (reminded_at) is written first, so
 * two instances never remind twice.
 */
export class ProcedureReminders {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly notices: RoleNotices,
    private readonly onReminded: (runId: string) => Promise<void>,
  ) {}

  async tick(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .selectFrom('procedure_runs')
      .select(['id', 'title', 'assigned_role', 'due_at', 'level'])
      .where('status', 'in', ['running', 'waiting'])
      .where('due_at', '<=', now)
      .where('reminded_at', 'is', null)
      .execute();
    let sent = 0;
    for (const r of due) {
      const claimed = await this.db.updateTable('procedure_runs').set({ reminded_at: now }).where('id', '=', r.id).where('reminded_at', 'is', null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      const open = await this.db.selectFrom('procedure_steps').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', r.id).where('status', 'not in', ['done', 'skipped']).executeTakeFirst();
      const role = r.assigned_role === 'admin' ? 'admin' : 'oncall';
      await this.notices.toRole(role, {
        subject: `Overdue: ${r.title}${r.level ? ` (${r.level})` : ''}`,
        text: `${r.title} was due ${new Date(Number(r.due_at)).toISOString()} and has ${Number(open?.n ?? 0)} step(s) open. Open it in OpsDesk → Procedures.`,
      });
      await this.onReminded(r.id);
      sent++;
    }
    return sent;
  }
}
