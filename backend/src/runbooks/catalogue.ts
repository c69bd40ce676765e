import type { Kysely } from 'kysely';
import { z } from 'zod';
import { CommandRunbookInput, type CommandRunbook, type Runbook } from '../../../shared/api/runbooks';
import type { Actor } from '../audit/audit-log';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { commandRunbook } from './command-runbook';
import type { AnyRunbook } from './runbook';

/** Built-in runbooks plus admin-defined command runbooks (stored in the database). */
export class RunbookCatalogue {
  private readonly builtins = new Map<string, AnyRunbook>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly approvalRequired: Set<string>,
  ) {}

  register(runbook: AnyRunbook): void {
    this.builtins.set(runbook.id, runbook);
  }

  isBuiltin(id: string): boolean {
    return this.builtins.has(id);
  }

  async find(id: string): Promise<AnyRunbook | undefined> {
    const b = this.builtins.get(id);
    if (b) return b;
    const row = await this.db.selectFrom('command_runbooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? commandRunbook(CommandRunbookInput.parse(JSON.parse(row.definition))) : undefined;
  }

  async get(id: string): Promise<AnyRunbook> {
    const r = await this.find(id);
    if (!r) throw notFound(`Runbook ${id}`);
    return r;
  }

  async list(): Promise<Runbook[]> {
    const rows = await this.db.selectFrom('command_runbooks').selectAll().orderBy('id').execute();
    const commands = rows.map((r) => commandRunbook(CommandRunbookInput.parse(JSON.parse(r.definition))));
    return [...this.builtins.values(), ...commands].map((r) => this.describe(r));
  }

  describe(r: AnyRunbook): Runbook {
    return {
      id: r.id,
      title: r.title,
      description: r.description,
      kind: r.kind,
      minRole: r.minRole,
      destructive: r.destructiveWhen === null ? r.destructive({}) : false,
      destructiveWhen: r.destructiveWhen,
      requiresApproval: this.approvalRequired.has(r.id) || (r.approvalByDefault ?? false),
      timeoutMs: r.timeoutMs,
      parameters: z.toJSONSchema(r.schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    };
  }

  async listCommands(): Promise<CommandRunbook[]> {
    const rows = await this.db.selectFrom('command_runbooks').selectAll().orderBy('id').execute();
    return rows.map((r) => ({ ...CommandRunbookInput.parse(JSON.parse(r.definition)), createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  async saveCommand(actor: Actor, input: CommandRunbookInput): Promise<Runbook> {
    if (this.builtins.has(input.id)) throw new AppError('conflict', `${input.id} is a built-in runbook`);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('command_runbooks').select('id').where('id', '=', input.id).executeTakeFirst();
      if (existing) await trx.updateTable('command_runbooks').set({ definition: JSON.stringify(input), updated_at: now }).where('id', '=', input.id).execute();
      else await trx.insertInto('command_runbooks').values({ id: input.id, definition: JSON.stringify(input), created_by: actor.id, created_at: now, updated_at: now }).execute();
      await this.audit.record(actor, { action: existing ? 'runbook.update' : 'runbook.create', targetType: 'runbook', targetId: input.id, details: { argv: input.argv, params: input.params.map((p) => p.name) } }, trx);
    });
    return this.describe(commandRunbook(input));
  }

  async deleteCommand(actor: Actor, id: string): Promise<void> {
    if (this.builtins.has(id)) throw new AppError('conflict', `${id} is a built-in runbook and cannot be deleted`);
    await this.db.transaction().execute(async (trx) => {
      const r = await trx.deleteFrom('command_runbooks').where('id', '=', id).executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) throw notFound(`Runbook ${id}`);
      await this.audit.record(actor, { action: 'runbook.delete', targetType: 'runbook', targetId: id }, trx);
    });
  }
}
