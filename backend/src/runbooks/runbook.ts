import type { z } from 'zod';
import type { Role } from '../../../shared/domain/roles';
import type { Actor } from '../audit/audit-log';
import type { ChildResult } from '../jobs/child-process';
import type { LogStream } from '../jobs/job-log-writer';

/** What a running runbook can use: its parameters, a cancel/timeout signal, the job log, child processes. */
export interface JobExecution<P> {
  jobId: string;
  params: P;
  requester: Actor;
  signal: AbortSignal;
  log(line: string, stream?: LogStream): void;
  /** argv directly, never a shell; output goes to the job log; cancel stops the process group. */
  spawn(argv: string[], options?: { env?: Record<string, string>; cwd?: string }): Promise<ChildResult>;
}

export interface JobOutcome {
  summary: string;
  result?: unknown;
  exitCode?: number;
}

/** A runbook whose outcome is a failure with a summary (not an exception trace). */
export class RunbookFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly result?: unknown,
  ) {
    super(message);
    this.name = 'RunbookFailure';
  }
}

export interface RunbookDefinition<P = Record<string, unknown>> {
  id: string;
  title: string;
  description: string;
  kind: 'builtin' | 'command';
  schema: z.ZodType<P>;
  minRole: Extract<Role, 'oncall' | 'admin'>;
  /** Destructive runs need a typed confirmation and an admin. */
  destructive(params: P): boolean;
  destructiveWhen: string | null;
  /** Approval by a second admin; the policy names runbooks (APPROVAL_REQUIRED_RUNBOOKS). */
  approvalByDefault?: boolean;
  timeoutMs: number;
  /** Shutdown waits for it instead of interrupting it (restore-database). */
  holdsShutdown?: boolean;
  /** Jobs holding the same key never overlap. */
  lockKey(params: P): string | null;
  /** Checks that need state (unknown service → 404, too many replicas → 422). Throws AppError. */
  precheck?(params: P): Promise<void> | void;
  run(exec: JobExecution<P>): Promise<JobOutcome>;
}

// Runbooks are stored heterogeneously; the catalogue validates params with `schema` before use.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRunbook = RunbookDefinition<any>;
