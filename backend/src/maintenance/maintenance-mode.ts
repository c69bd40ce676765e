import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import type { SharedMaintenanceFlag } from './shared-maintenance';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Signing in and operating (procedures, jobs, backups) stay possible: the data-loss procedure turns
// maintenance mode on and people must still tick its steps and request the restore.
const ALWAYS_ALLOWED = [/^\/api\/v1\/auth\//, /^\/api\/v1\/(procedures|jobs|backups)(\/|$)/];

/**
 * While a restore runs the API refuses writes with 503 and a clear message; reads keep working.
 * With several instances (PostgreSQL) the mode is shared: the instance that enters it raises a
 * flag every instance reads (`sync()`, on the lifecycle), and it waits until the flag has had time
 * to reach them before the caller goes on to the destructive part.
 */
export class MaintenanceMode {
  /** Entered here. */
  private own: { reason: string; since: number } | null = null;
  /** Entered by another instance, as last read. */
  private others: { reason: string; since: number } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly shared: SharedMaintenanceFlag | null = null,
  ) {}

  async enter(reason: string): Promise<void> {
    this.own = { reason, since: this.clock.now() };
    if (!this.shared) return;
    await this.shared.raise(reason);
    await new Promise((r) => setTimeout(r, this.shared!.propagationMs * 2));
  }

  async leave(): Promise<void> {
    this.own = null;
    await this.shared?.lower();
  }

  /** Reads what other instances raised (a loop of every instance's lifecycle). */
  async sync(): Promise<void> {
    if (!this.shared) return;
    this.others = this.own ? null : await this.shared.read();
  }

  /** How often `sync()` should run. */
  get syncEveryMs(): number | null {
    return this.shared?.propagationMs ?? null;
  }

  async close(): Promise<void> {
    await this.shared?.close();
  }

  private get state(): { reason: string; since: number } | null {
    return this.own ?? this.others;
  }

  status(): { active: boolean; reason: string | null; since: number | null } {
    const s = this.state;
    return { active: s !== null, reason: s?.reason ?? null, since: s?.since ?? null };
  }

  /** onRequest gate: throws the 503 for writes while active. */
  gate(request: Pick<FastifyRequest, 'method' | 'url'>): void {
    const state = this.state;
    if (!state || SAFE_METHODS.has(request.method)) return;
    const path = request.url.split('?')[0] ?? '';
    if (ALWAYS_ALLOWED.some((r) => r.test(path))) return;
    throw new AppError(
      'maintenance',
      `OpsDesk is in maintenance mode (${state.reason}); changes are refused until it finishes. Reads still work; try again in a few minutes.`,
    );
  }
}
