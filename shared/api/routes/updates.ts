import { z } from 'zod';
import { defineRoutes } from '../route';
import { AppendUploadRequest, ChannelParams, PublishReleaseRequest, SetRolloutRequest, StartUploadRequest, UpdateRelease, UpdateReleaseParams, UpdateUpload, UploadParams } from '../updates';

/**
 * The desktop update feed's releases, published by an admin from the app (upload the installers in
 * chunks, then publish them) or with `npm run cli -- publish-update`. The feed
 * itself, /updates/<channel>/latest*.yml and the artifacts, is served unauthenticated outside
 * /api/v1, as electron-updater's generic provider expects.
 */
export const UPDATE_ROUTES = defineRoutes('updates', {
  'updates.releases.list': { method: 'GET', path: '/updates', summary: 'What each channel offers each platform', access: { role: 'admin' }, response: z.array(UpdateRelease) },
  'updates.uploads.start': { method: 'POST', path: '/updates/uploads', summary: 'Start uploading an installer (then send its chunks, then publish)', access: { role: 'admin' }, body: StartUploadRequest, status: 201, response: UpdateUpload },
  'updates.uploads.append': { method: 'PUT', path: '/updates/uploads/:id', summary: 'The next chunk of an upload, at the offset the server holds (409 tells the right one)', access: { role: 'admin' }, params: UploadParams, body: AppendUploadRequest, response: UpdateUpload },
  'updates.uploads.discard': { method: 'DELETE', path: '/updates/uploads/:id', summary: 'Abandon an upload', access: { role: 'admin' }, params: UploadParams, status: 204 },
  'updates.releases.publish': { method: 'POST', path: '/updates/:channel/releases', summary: 'Publish uploaded installers as the channel\'s next release', access: { role: 'admin' }, params: ChannelParams, body: PublishReleaseRequest, status: 201, response: UpdateRelease },
  'updates.releases.rollout': { method: 'PUT', path: '/updates/:channel/:platform/rollout', summary: 'Staged rollout: the share of installs offered the release', access: { role: 'admin' }, params: UpdateReleaseParams, body: SetRolloutRequest, response: UpdateRelease },
});
