import { z } from 'zod';

/** The update channels a desktop follows (Settings → Updates); each is its own feed. */
export const UPDATE_CHANNELS = ['stable', 'beta'] as const;
export const UpdateChannel = z.enum(UPDATE_CHANNELS);
export type UpdateChannel = z.infer<typeof UpdateChannel>;

/** The platforms an update is published for, each with its own latest*.yml. */
export const UPDATE_PLATFORMS = ['windows', 'mac', 'linux'] as const;
export const UpdatePlatform = z.enum(UPDATE_PLATFORMS);
export type UpdatePlatform = z.infer<typeof UpdatePlatform>;
