import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Signing in and operating (procedures, jobs, backups) stay possible: the data-loss procedure turns
// maintenance mode on and people must still tick its steps and request the restore.
const ALWAYS_ALLOWED = [/^\/api\/v1\/auth\//, /^\/api\/v1\/(procedures|jobs|backups)(\/|$)/];

/**
 * While a restore runs the API refuses writes with 503 and a clear message; reads keep working.
 * One per process (restores run in the process that owns the database handle).
 */
export class MaintenanceMode {
  private state: { reason: string; since: number } | null = null;

  constructor(private readonly clock: Clock) {}

  enter(reason: string): void {
    this.state = { reason, since: this.clock.now() };
  }

  leave(): void {
    this.state = null;
  }

  status(): { active: boolean; reason: string | null; since: number | null } {
    return { active: this.state !== null, reason: this.state?.reason ?? null, since: this.state?.since ?? null };
  }

  /** onRequest gate: throws the 503 for writes while active. */
  gate(request: Pick<FastifyRequest, 'method' | 'url'>): void {
    if (!this.state || SAFE_METHODS.has(request.method)) return;
    const path = request.url.split('?')[0] ?? '';
    if (ALWAYS_ALLOWED.some((r) => r.test(path))) return;
    throw new AppError(
      'maintenance',
      `OpsDesk is in maintenance mode (${this.state.reason}); changes are refused until it finishes. Reads still work; try again in a few minutes.`,
    );
  }
}
