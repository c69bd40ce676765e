import { BACKUP_ROUTES } from '../../../shared/api/routes/backups';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import { requesterOf } from '../jobs/requester';

/** Backups: reading them here; creating, verifying and restoring run as jobs (404 first for an unknown backup). */
export function backupRoutes(s: Pick<Services, 'guard' | 'backups' | 'backupScheduler' | 'jobs'>) {
  return routePlugin(BACKUP_ROUTES, s.guard, {
    'backups.list': (req) => s.backups.list(req.query.limit, req.query.status),
    'backups.overview': (req) => s.backups.overview(s.backupScheduler.plannedRuns(), req.log),
    'backups.get': (req) => s.backups.get(req.params.id),
    'backups.manifest.get': (req) => s.backups.manifest(req.params.id),
    'backups.create': (req) => s.jobs.request(requesterOf(req), { runbook: 'backup-database', params: {} }),
    'backups.verify': async (req) => {
      await s.backups.get(req.params.id);
      return s.jobs.request(requesterOf(req), { runbook: 'verify-backup', params: { backupId: req.params.id } });
    },
    'backups.restore': async (req) => {
      await s.backups.get(req.params.id);
      return s.jobs.request(requesterOf(req), { runbook: 'restore-database', params: { backupId: req.params.id }, confirmation: req.body?.confirmation });
    },
    'backups.offsite.list': async () => {
      const store = s.backups.offsite;
      if (!store) return { configured: false, where: null, items: [] };
      const copies = await store.list();
      return { configured: true, where: store.where, items: copies.map((c) => ({ id: c.manifest.id, name: c.name, createdAt: c.manifest.createdAt, kind: c.manifest.kind, dialect: c.manifest.dialect, sizeBytes: c.manifest.sizeBytes })) };
    },
    'backups.offsite.restore': (req) => s.jobs.request(requesterOf(req), { runbook: 'restore-database', params: { backupId: req.params.id }, confirmation: req.body?.confirmation }),
    'backups.prune': (req) => s.backups.pruneFor(actorOf(req)),
  });
}
