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
