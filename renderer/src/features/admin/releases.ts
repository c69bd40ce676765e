import { create } from 'zustand';
import { UPLOAD_CHUNK_BYTES, type UpdateRelease } from '../../../../shared/api/updates';
import type { UpdateChannel, UpdatePlatform } from '../../../../shared/domain/updates';
import { ApiError, call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

interface ReleasesState {
  releases: Loadable<UpdateRelease[]>;
}

export const useReleases = create<ReleasesState>(() => ({ releases: notLoaded() }));

export const loadReleases = (opts = { fresh: true }) =>
  loadInto(useReleases, 'releases', () => call('api.updates.releases.list'), opts);

export async function setRollout(channel: UpdateChannel, platform: UpdatePlatform, percentage: number): Promise<void> {
  await call('api.updates.releases.rollout', { params: { channel, platform }, body: { percentage } });
  await loadReleases({ fresh: false });
}

/** A file's bytes as base64, in slices small enough for String.fromCharCode. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The offset the server says it holds, when it refused a chunk for being at the wrong one. */
export function heldOffset(e: unknown): number | null {
  if (!(e instanceof ApiError) || e.code !== 'conflict') return null;
  const received = (e.details as { body?: { details?: { received?: unknown } } } | undefined)?.body?.details?.received;
  return typeof received === 'number' ? received : null;
}

const TRANSIENT = new Set(['offline', 'server_unreachable', 'internal']);
const RETRIES = 3;

export interface UploadProgress {
  name: string;
  sent: number;
  size: number;
}

/**
 * Uploads one installer in UPLOAD_CHUNK_BYTES chunks and returns its upload id. A chunk lost to a
 * dropped connection is sent again (up to RETRIES times); when the server already holds it, its
 * 409 names the offset to go on from, so nothing is appended twice. Cancelling discards the upload.
 */
export async function uploadInstaller(file: File, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<string> {
  const { id } = await call('api.updates.uploads.start', { body: { name: file.name, size: file.size } });
  let offset = 0;
  let failures = 0;
  while (offset < file.size) {
    if (signal?.aborted) {
      await call('api.updates.uploads.discard', { params: { id } });
      throw new Error(`Upload of ${file.name} cancelled`);
    }
    const chunk = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
    try {
      offset = (await call('api.updates.uploads.append', { params: { id }, body: { offset, data: toBase64(chunk) } })).received;
      failures = 0;
    } catch (e) {
      const held = heldOffset(e);
      if (held !== null) offset = held;
      else if (e instanceof ApiError && TRANSIENT.has(e.code) && ++failures <= RETRIES) await new Promise((r) => setTimeout(r, 500 * failures));
      else throw e;
    }
    onProgress({ name: file.name, sent: offset, size: file.size });
  }
  return id;
}

export interface NewRelease {
  channel: UpdateChannel;
  version: string;
  rollout: number;
  notes: string;
  files: File[];
}

/** Uploads every installer of a release, then publishes them together. */
export async function publishRelease(r: NewRelease, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<UpdateRelease> {
  const uploadIds: string[] = [];
  for (const f of r.files) uploadIds.push(await uploadInstaller(f, onProgress, signal));
  const release = await call('api.updates.releases.publish', {
    params: { channel: r.channel },
    body: { version: r.version.trim(), uploadIds, rollout: r.rollout, ...(r.notes.trim() ? { notes: r.notes.trim() } : {}) },
  });
  await loadReleases({ fresh: false });
  return release;
}
