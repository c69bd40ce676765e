import { z } from 'zod';
import { Id, Timestamp } from './common';

import { JobStatus } from '../domain/jobs';

// Declared once in shared/domain; re-exported for the existing importers.
export { FINISHED_JOB_STATUSES, JOB_STATUSES, JobStatus } from '../domain/jobs';

export const Job = z.object({
  id: z.string(),
  runbook: z.string(),
  params: z.record(z.string(), z.unknown()),
  status: JobStatus,
  requestedBy: z.string().nullable(),
  requestedByEmail: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  exitCode: z.number().int().nullable(),
  summary: z.string().nullable(),
  result: z.unknown().nullable(),
  /** Why the job was interrupted, cancelled or failed. */
  reason: z.string().nullable(),
  retryOf: z.string().nullable(),
  timeoutMs: z.number().int(),
  lockKey: z.string().nullable(),
  logSeq: z.number().int().describe('sequence of the last persisted log line'),
  cancelRequestedAt: Timestamp.nullable(),
});
export type Job = z.infer<typeof Job>;

export const JobRequest = z.object({
  runbook: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Destructive runbooks: type the runbook id to confirm. */
  confirmation: z.string().max(200).optional(),
});
export type JobRequest = z.infer<typeof JobRequest>;

export const JobListQuery = z.object({
  status: JobStatus.optional(),
  runbook: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().optional().describe('createdAt of the last job of the previous page'),
});

export const JobLogLine = z.object({
  seq: z.number().int(),
  at: Timestamp,
  stream: z.enum(['out', 'err', 'info']),
  line: z.string(),
});
export type JobLogLine = z.infer<typeof JobLogLine>;

export const JobLogQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export const JobLogPage = z.object({ jobId: z.string(), lines: z.array(JobLogLine), lastSeq: z.number().int(), done: z.boolean() });
export type JobLogPage = z.infer<typeof JobLogPage>;

export const JobIdParams = z.object({ id: Id });

/** socket.io: client emits `job.subscribe` with this; server answers with `job.log` batches and `job.log.end`. */
export const JobSubscribe = z.object({ jobId: Id, fromSeq: z.number().int().min(0).default(0) });
export type JobSubscribe = z.infer<typeof JobSubscribe>;
export const JobLogBatch = z.object({ jobId: z.string(), lines: z.array(JobLogLine) });
export type JobLogBatch = z.infer<typeof JobLogBatch>;
export const JobLogEnd = z.object({ jobId: z.string(), status: JobStatus, lastSeq: z.number().int() });

export const JobList = z.object({ items: z.array(Job) });
/** A solo admin approves their own job with their password (see ApprovalPolicy). */
export const ApproveJobRequest = z.object({ password: z.string().max(1000).optional() }).nullish();
export const ApprovalPolicy = z.object({
  mode: z.enum(['second-admin', 'solo-password']),
  admins: z.number().int(),
  description: z.string(),
});
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;
export const RejectJobRequest = z.object({ reason: z.string().max(2000).optional() }).nullish();
/** Retrying a destructive job asks for the confirmation again. */
export const RetryJobRequest = z.object({ confirmation: z.string().max(200).optional() }).nullish();
