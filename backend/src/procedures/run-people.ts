import type { Kysely } from 'kysely';
import type { ProcedureRun } from '../../../shared/api/procedures';
import { hasRole, type Role } from '../../../shared/domain/roles';
import type { Database } from '../platform/db/schema';
import { forbidden } from '../platform/http/errors';
import type { Requester } from '../jobs/job-service';

/** Who started the run, with the role they hold now: the engine requests its jobs as them (null: a schedule, or gone). */
export async function starterOf(db: Kysely<Database>, run: Pick<ProcedureRun, 'startedBy'>): Promise<Requester | null> {
  if (!run.startedBy) return null;
  const u = await db.selectFrom('users').select(['id', 'email', 'role', 'disabled']).where('id', '=', run.startedBy).executeTakeFirst();
  return u && u.disabled === 0 ? { id: u.id, email: u.email, ip: null, role: u.role } : null;
}

/** A run assigned to a role is worked by that role and those above it; anyone may read it and add notes. */
export function assertAssigned(run: Pick<ProcedureRun, 'assignedRole' | 'title'>, role: Role): void {
  const assigned = run.assignedRole as Role | null;
  if (assigned && !hasRole(role, assigned)) throw forbidden(`${run.title} is assigned to ${assigned}s: you can add notes`);
}
