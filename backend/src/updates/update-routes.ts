import { createReadStream, statSync } from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UPDATE_ROUTES } from '../../../shared/api/routes/updates';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';

/** Admins see and steer the releases (API); the feed below serves them. */
export function updateRoutes(s: Pick<Services, 'guard' | 'updates' | 'audit'>) {
  return routePlugin(UPDATE_ROUTES, s.guard, {
    'updates.releases.list': () => s.updates.releases(),
    'updates.releases.rollout': async (req) => {
      const release = s.updates.setRollout(req.params.channel, req.params.platform, req.body.percentage);
      await s.audit.record(actorOf(req), { action: 'update.rollout_changed', targetType: 'update', targetId: `${release.channel}/${release.platform}`, details: { version: release.version, percentage: release.rolloutPercentage } });
      return release;
    },
  });
}

/**
 * GET /updates/<channel>/<file>: electron-updater's generic feed (latest.yml, latest-mac.yml,
 * latest-linux.yml and the artifacts they name), unauthenticated like any update server. Unknown
 * channels and names outside the feed's folder answer 404.
 */
export function updateFeedRoutes(s: Pick<Services, 'updates'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/updates/:channel/:file', { schema: { hide: true, params: z.object({ channel: z.string().max(20), file: z.string().max(200) }) } }, async (req, reply) => {
      const file = s.updates.file(req.params.channel, req.params.file);
      if (!file) return reply.code(404).send({ error: 'not_found', message: 'No such update file' });
      const yml = file.endsWith('.yml');
      return reply
        .header('content-type', yml ? 'text/yaml; charset=utf-8' : 'application/octet-stream')
        .header('content-length', statSync(file).size)
        // The yml changes with every release; an artifact never does (its name carries the version).
        .header('cache-control', yml ? 'no-cache' : 'public, max-age=31536000, immutable')
        .send(createReadStream(file));
    });
  };
}
