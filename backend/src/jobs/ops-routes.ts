import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Backup, BackupListQuery, BackupManifest, BackupOverview } from '../../../shared/api/backups';
import { Job, JobIdParams, JobListQuery, JobLogPage, JobLogQuery, JobRequest } from '../../../shared/api/jobs';
import { MaintenanceModeStatus, MaintenanceWindow, MaintenanceWindowInput } from '../../../shared/api/maintenance';
import { AbortRunRequest, CompleteStepRequest, ProcedureDefinitionInfo, ProcedureRun, RunListQuery, StartProcedureRequest } from '../../../shared/api/procedures';
import { CommandRunbook, CommandRunbookInput, Runbook } from '../../../shared/api/runbooks';
import { ServiceNameParams, ServiceStatus } from '../../../shared/api/services';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context';
import { BackupRefused } from '../backups/backup-service';
import { freeBytes } from '../backups/files';
import { AppError, forbidden } from '../http/errors';
import { actorOf, principalOf } from '../http/guards';
import type { Requester } from './job-service';
import { toJob } from './job-repository';
import { isFinished } from './job-runner';
import { operations } from './operations';

function requester(req: FastifyRequest): Requester {
  const p = principalOf(req);
  return { ...actorOf(req), role: p.role };
}

const JobList = z.object({ items: z.array(Job) });

/** runbooks, jobs, services, backups, maintenance, procedures under /api/v1. */
export function operationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const ops = operations(ctx);
    const oncall = ctx.guard({ role: 'oncall' });
    const admin = ctx.guard({ role: 'admin' });
    const anyone = ctx.guard();

    // Runbooks
    app.get('/runbooks', { preHandler: oncall, schema: { tags: ['runbooks'], response: { 200: z.array(Runbook) } } }, () => ops.catalogue.list());
    app.get('/runbooks/:id', { preHandler: oncall, schema: { tags: ['runbooks'], params: JobIdParams, response: { 200: Runbook } } }, async (req) => ops.catalogue.describe(await ops.catalogue.get(req.params.id)));
    app.get('/runbooks/commands', { preHandler: admin, schema: { tags: ['runbooks'], response: { 200: z.array(CommandRunbook) } } }, () => ops.catalogue.listCommands());
    app.put('/runbooks/commands/:id', { preHandler: admin, schema: { tags: ['runbooks'], params: JobIdParams, body: CommandRunbookInput.omit({ id: true }), response: { 200: Runbook } } }, (req) => ops.catalogue.saveCommand(actorOf(req), CommandRunbookInput.parse({ ...req.body, id: req.params.id })));
    app.delete('/runbooks/commands/:id', { preHandler: admin, schema: { tags: ['runbooks'], params: JobIdParams } }, async (req, reply) => {
      await ops.catalogue.deleteCommand(actorOf(req), req.params.id);
      return reply.code(204).send();
    });

    // Jobs
    app.get('/jobs', { preHandler: oncall, schema: { tags: ['jobs'], querystring: JobListQuery, response: { 200: JobList } } }, async (req) => ({ items: (await ops.repo.list(req.query)).map(toJob) }));
    app.post('/jobs', { preHandler: oncall, schema: { tags: ['jobs'], body: JobRequest, response: { 201: Job } } }, async (req, reply) => reply.code(201).send(await ops.jobs.request(requester(req), req.body)));
    app.get('/jobs/:id', { preHandler: oncall, schema: { tags: ['jobs'], params: JobIdParams, response: { 200: Job } } }, (req) => ops.jobs.get(req.params.id));
    app.post('/jobs/:id/approve', { preHandler: admin, schema: { tags: ['jobs'], params: JobIdParams, response: { 200: Job } } }, (req) => ops.jobs.approve(requester(req), req.params.id));
    app.post('/jobs/:id/reject', { preHandler: admin, schema: { tags: ['jobs'], params: JobIdParams, body: z.object({ reason: z.string().max(2000).optional() }).nullish(), response: { 200: Job } } }, (req) => ops.jobs.reject(requester(req), req.params.id, req.body?.reason));
    app.post('/jobs/:id/cancel', { preHandler: oncall, schema: { tags: ['jobs'], params: JobIdParams, response: { 200: Job } } }, (req) => ops.jobs.cancel(requester(req), req.params.id));
    app.post('/jobs/:id/retry', { preHandler: oncall, schema: { tags: ['jobs'], params: JobIdParams, body: z.object({ confirmation: z.string().max(200).optional() }).nullish(), response: { 201: Job } } }, async (req, reply) => reply.code(201).send(await ops.jobs.retry(requester(req), req.params.id, req.body?.confirmation)));
    app.get('/jobs/:id/logs', { preHandler: oncall, schema: { tags: ['jobs'], params: JobIdParams, querystring: JobLogQuery, response: { 200: JobLogPage } } }, async (req) => {
      const job = await ops.jobs.get(req.params.id);
      const lines = await ops.repo.logs(job.id, req.query.after, req.query.limit);
      const lastSeq = lines.length ? lines[lines.length - 1]!.seq : req.query.after;
      return { jobId: job.id, lines, lastSeq, done: isFinished(job.status) && lastSeq >= job.logSeq };
    });
    app.get('/jobs/:id/logs/download', { preHandler: oncall, schema: { tags: ['jobs'], params: JobIdParams } }, async (req, reply) => {
      const job = await ops.jobs.get(req.params.id);
      async function* lines() {
        let after = 0;
        for (;;) {
          const page = await ops.repo.logs(job.id, after, 5000);
          if (!page.length) return;
          yield page.map((l) => `${new Date(l.at).toISOString()} ${l.stream.padEnd(4)} ${l.line}\n`).join('');
          after = page[page.length - 1]!.seq;
        }
      }
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="job-${job.id}.log"`)
        .send(Readable.from(lines()));
    });

    // Services
    app.get('/services', { preHandler: oncall, schema: { tags: ['services'], response: { 200: z.array(ServiceStatus) } } }, () => ops.services.statusAll());
    app.get('/services/:name', { preHandler: oncall, schema: { tags: ['services'], params: ServiceNameParams, response: { 200: ServiceStatus } } }, (req) => ops.services.status(req.params.name));
    app.post('/services/:name/restart', { preHandler: oncall, schema: { tags: ['services'], params: ServiceNameParams, response: { 201: Job } } }, async (req, reply) =>
      reply.code(201).send(await ops.jobs.request(requester(req), { runbook: 'restart-service', params: { service: req.params.name } })),
    );
    app.post('/services/:name/scale', { preHandler: oncall, schema: { tags: ['services'], params: ServiceNameParams, body: z.object({ replicas: z.number().int().min(0).max(1000), confirmation: z.string().max(200).optional() }), response: { 201: Job } } }, async (req, reply) =>
      reply.code(201).send(await ops.jobs.request(requester(req), { runbook: 'scale-service', params: { service: req.params.name, replicas: req.body.replicas }, confirmation: req.body.confirmation })),
    );

    // Backups
    app.get('/backups', { preHandler: oncall, schema: { tags: ['backups'], querystring: BackupListQuery, response: { 200: z.array(Backup) } } }, (req) => ops.backups.list(req.query.limit, req.query.status));
    app.get('/backups/overview', { preHandler: oncall, schema: { tags: ['backups'], response: { 200: BackupOverview } } }, async () => ({
      directory: ops.backups.dir,
      schedules: ctx.config.OPS_SCHEDULERS ? ops.scheduler.nextRuns() : ops.scheduler.nextRuns().map((s) => ({ ...s, nextRun: null })),
      retention: (await import('../backups/retention')).parseRetention(ctx.config.BACKUP_RETENTION),
      lastSuccessAt: await ops.backups.lastSuccessAt(),
      freeBytes: await freeBytes(ops.backups.dir).catch(() => null),
    }));
    app.get('/backups/:id', { preHandler: oncall, schema: { tags: ['backups'], params: JobIdParams, response: { 200: Backup } } }, (req) => ops.backups.get(req.params.id));
    // The manifest written beside the backup file (checksum, row counts, app version), as the desktop's backup detail shows it.
    app.get('/backups/:id/manifest', { preHandler: oncall, schema: { tags: ['backups'], params: JobIdParams, response: { 200: BackupManifest } } }, async (req) => {
      const backup = await ops.backups.get(req.params.id);
      try {
        return (await ops.backups.resolve(backup.id)).manifest;
      } catch (err) {
        if (err instanceof BackupRefused) throw new AppError('conflict', err.message);
        throw err;
      }
    });
    app.post('/backups', { preHandler: oncall, schema: { tags: ['backups'], response: { 201: Job } } }, async (req, reply) => reply.code(201).send(await ops.jobs.request(requester(req), { runbook: 'backup-database', params: {} })));
    app.post('/backups/:id/verify', { preHandler: oncall, schema: { tags: ['backups'], params: JobIdParams, response: { 201: Job } } }, async (req, reply) => {
      await ops.backups.get(req.params.id);
      return reply.code(201).send(await ops.jobs.request(requester(req), { runbook: 'verify-backup', params: { backupId: req.params.id } }));
    });
    app.post('/backups/:id/restore', { preHandler: admin, schema: { tags: ['backups'], params: JobIdParams, body: z.object({ confirmation: z.string().max(200).optional() }).nullish(), response: { 201: Job } } }, async (req, reply) => {
      await ops.backups.get(req.params.id);
      return reply.code(201).send(await ops.jobs.request(requester(req), { runbook: 'restore-database', params: { backupId: req.params.id }, confirmation: req.body?.confirmation }));
    });
    app.post('/backups/prune', { preHandler: admin, schema: { tags: ['backups'], response: { 200: z.object({ pruned: z.array(z.string()), kept: z.number() }) } } }, async (req) => {
      const r = await ops.backups.prune();
      await ctx.audit.record(actorOf(req), { action: 'backup.prune', details: { pruned: r.pruned } });
      return r;
    });

    // Maintenance windows and mode
    app.get('/maintenance', { preHandler: anyone, schema: { tags: ['maintenance'], response: { 200: z.array(MaintenanceWindow) } } }, () => ops.windows.list());
    app.get('/maintenance/mode', { schema: { tags: ['maintenance'], response: { 200: MaintenanceModeStatus } } }, async () => ctx.maintenance.status());
    app.get('/maintenance/:id', { preHandler: anyone, schema: { tags: ['maintenance'], params: JobIdParams, response: { 200: MaintenanceWindow } } }, (req) => ops.windows.get(req.params.id));
    app.post('/maintenance', { preHandler: admin, schema: { tags: ['maintenance'], body: MaintenanceWindowInput, response: { 201: MaintenanceWindow } } }, async (req, reply) =>
      reply.code(201).send(await ops.windows.create(actorOf(req), req.body, (s) => ops.services.has(s))),
    );
    app.post('/maintenance/:id/cancel', { preHandler: admin, schema: { tags: ['maintenance'], params: JobIdParams, response: { 200: MaintenanceWindow } } }, (req) => ops.windows.cancel(actorOf(req), req.params.id));
    app.post('/maintenance/:id/wizard', { preHandler: admin, schema: { tags: ['maintenance'], params: JobIdParams, body: z.object({ params: z.record(z.string(), z.unknown()).default({}) }).nullish(), response: { 201: ProcedureRun } } }, async (req, reply) => {
      const w = await ops.windows.get(req.params.id);
      return reply.code(201).send(await ops.procedures.create(actorOf(req), 'maintenance', { title: w.title, services: w.services, ...req.body?.params }, { maintenanceId: w.id }));
    });

    // Procedures (wizards, emergency procedures, recurring checklists)
    app.get('/procedures', { preHandler: oncall, schema: { tags: ['procedures'], response: { 200: z.array(ProcedureDefinitionInfo) } } }, () =>
      ops.procedures.definitions().map((d) => ({ id: d.id, title: d.title, description: d.description, assignedRole: d.assignedRole, schedule: d.schedule, steps: safeSteps(d) })),
    );
    app.get('/procedures/runs', { preHandler: oncall, schema: { tags: ['procedures'], querystring: RunListQuery, response: { 200: z.array(ProcedureRun) } } }, (req) => ops.procedures.list(req.query));
    app.post('/procedures/runs', { preHandler: oncall, schema: { tags: ['procedures'], body: StartProcedureRequest, response: { 201: ProcedureRun } } }, async (req, reply) => {
      const def = ops.procedures.definition(req.body.procedure);
      if (def.assignedRole === 'admin' && principalOf(req).role !== 'admin') throw forbidden(`${def.id} is assigned to admins`);
      return reply.code(201).send(await ops.procedures.create(actorOf(req), req.body.procedure, req.body.params, { maintenanceId: req.body.maintenanceId }));
    });
    app.get('/procedures/runs/:id', { preHandler: oncall, schema: { tags: ['procedures'], params: JobIdParams, response: { 200: ProcedureRun } } }, (req) => ops.procedures.get(req.params.id));
    app.post('/procedures/runs/:id/steps/:key/complete', { preHandler: oncall, schema: { tags: ['procedures'], params: JobIdParams.extend({ key: z.string().max(100) }), body: CompleteStepRequest, response: { 200: ProcedureRun } } }, (req) =>
      ops.procedures.completeStep(actorOf(req), req.params.id, req.params.key, req.body),
    );
    app.post('/procedures/runs/:id/steps/:key/retry', { preHandler: oncall, schema: { tags: ['procedures'], params: JobIdParams.extend({ key: z.string().max(100) }), response: { 200: ProcedureRun } } }, (req) =>
      ops.procedures.retryStep(actorOf(req), req.params.id, req.params.key),
    );
    app.post('/procedures/runs/:id/abort', { preHandler: admin, schema: { tags: ['procedures'], params: JobIdParams, body: AbortRunRequest, response: { 200: z.object({ run: ProcedureRun, rollbackJobId: z.string().nullable() }) } } }, (req) =>
      ops.procedures.abort(requester(req), req.params.id, req.body),
    );
  };
}

function safeSteps(d: { steps(p: Record<string, unknown>): { key: string; phase: string; title: string; kind: 'manual' | 'runbook' | 'check' | 'action' | 'watch'; instructions: string }[] }) {
  try {
    return d.steps({}).map((s) => ({ key: s.key, phase: s.phase, title: s.title, kind: s.kind, instructions: s.instructions }));
  } catch {
    return [];
  }
}
