import { z } from 'zod';
import { defineRoutes } from '../route';
import { SetRolloutRequest, UpdateRelease, UpdateReleaseParams } from '../updates';

/**
 * The desktop update feed's releases (published with `npm run cli -- publish-update`). The feed
 * itself, /updates/<channel>/latest*.yml and the artifacts, is served unauthenticated outside
 * /api/v1, as electron-updater's generic provider expects.
 */
export const UPDATE_ROUTES = defineRoutes('updates', {
  'updates.releases.list': { method: 'GET', path: '/updates', summary: 'What each channel offers each platform', access: { role: 'admin' }, response: z.array(UpdateRelease) },
  'updates.releases.rollout': { method: 'PUT', path: '/updates/:channel/:platform/rollout', summary: 'Staged rollout: the share of installs offered the release', access: { role: 'admin' }, params: UpdateReleaseParams, body: SetRolloutRequest, response: UpdateRelease },
});
