import { createReadStream, statSync } from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UPDATE_ROUTES } from '../../../shared/api/routes/updates';
import type { Services } from '../app/services';
import { actorOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import { publishedAudit } from './update-feed';

/** A chunk is at most 2 MiB, sent as base64 in JSON: 2.7 MiB plus the envelope. */
const CHUNK_BODY_LIMIT = 4 * 1024 * 1024;

/** Admins upload, publish and steer the releases (API); the feed below serves them. */
export function updateRoutes(s: Pick<Services, 'guard' | 'updates' | 'updateUploads' | 'audit'>) {
  return routePlugin(UPDATE_ROUTES, s.guard, {
    'updates.releases.list': () => s.updates.releases(),
    'updates.uploads.start': (req) => s.updateUploads.start(req.body, actorOf(req).id),
    'updates.uploads.append': {
      options: { fastify: { bodyLimit: CHUNK_BODY_LIMIT } },
      handler: (req) => s.updateUploads.append(req.params.id, req.body.offset, Buffer.from(req.body.data, 'base64')),
    },
    'updates.uploads.discard': (req) => s.updateUploads.discard(req.params.id),
    'updates.releases.publish': async (req) => {
      const files = req.body.uploadIds.map((id) => s.updateUploads.completed(id));
      const release = await s.updates.publish({ channel: req.params.channel, version: req.body.version, platform: req.body.platform, files, rollout: req.body.rollout, notes: req.body.notes });
      for (const id of req.body.uploadIds) s.updateUploads.discard(id);
      await s.audit.record(actorOf(req), publishedAudit(release));
      return release;
    },
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
