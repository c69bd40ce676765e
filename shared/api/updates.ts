import { z } from 'zod';
import { UpdateChannel, UpdatePlatform } from '../domain/updates';

/** A published update: what latest*.yml of its channel and platform offers. */
export const UpdateRelease = z.object({
  channel: UpdateChannel,
  platform: UpdatePlatform,
  version: z.string(),
  files: z.array(z.object({ name: z.string(), size: z.number().int(), sha512: z.string() })),
  rolloutPercentage: z.number().min(0).max(100),
  releaseDate: z.string(),
  notes: z.string().nullable(),
});
export type UpdateRelease = z.infer<typeof UpdateRelease>;

export const UpdateReleaseParams = z.object({ channel: UpdateChannel, platform: UpdatePlatform });
export const SetRolloutRequest = z.object({ percentage: z.number().int().min(0).max(100) });

/** Installers reach the server in chunks of at most this many bytes (base64 in JSON, through any IPC). */
export const UPLOAD_CHUNK_BYTES = 2 * 1024 * 1024;
/** The largest installer an admin may upload (an Electron installer is 100–250 MB). */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

/** An artifact being uploaded for a release: `received` grows to `size`, then it can be published. */
export const UpdateUpload = z.object({ id: z.string(), name: z.string(), size: z.number().int(), received: z.number().int() });
export type UpdateUpload = z.infer<typeof UpdateUpload>;

/** A file name the feed serves: no folders, no dot-files, nothing a URL or a shell would bend. */
export const SAFE_ARTIFACT = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;
export const ArtifactName = z.string().regex(SAFE_ARTIFACT, 'An installer name may hold letters, digits and . _ + - only');

export const StartUploadRequest = z.object({ name: ArtifactName, size: z.number().int().min(1).max(MAX_UPLOAD_BYTES) });
export const UploadParams = z.object({ id: z.string().uuid() });
export const AppendUploadRequest = z.object({
  offset: z.number().int().min(0),
  /** base64 of at most UPLOAD_CHUNK_BYTES bytes. */
  data: z.string().min(1).max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'data is not base64'),
});

export const PublishReleaseRequest = z.object({
  version: z.string().min(1).max(64),
  platform: UpdatePlatform.optional(),
  /** Completed uploads, the installer electron-updater downloads first. */
  uploadIds: z.array(z.string().uuid()).min(1).max(10),
  rollout: z.number().int().min(0).max(100).optional(),
  notes: z.string().max(10_000).optional(),
});
export const ChannelParams = z.object({ channel: UpdateChannel });
