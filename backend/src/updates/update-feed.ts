import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import semver from 'semver';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { SAFE_ARTIFACT, type UpdateRelease } from '../../../shared/api/updates';
import { UPDATE_CHANNELS, UPDATE_PLATFORMS, type UpdateChannel, type UpdatePlatform } from '../../../shared/domain/updates';
import { AppError } from '../platform/http/errors';
import type { Clock } from '../platform/clock';

/** electron-updater's file names: the generic provider asks for `<channel>.yml` / `-mac` / `-linux`. */
export const FEED_FILES: Record<UpdatePlatform, string> = { windows: 'latest.yml', mac: 'latest-mac.yml', linux: 'latest-linux.yml' };

/** What electron-builder writes into latest*.yml, and electron-updater reads. */
const UpdateInfo = z.object({
  version: z.string(),
  files: z.array(z.object({ url: z.string(), sha512: z.string(), size: z.number().int() })).min(1),
  path: z.string(),
  sha512: z.string(),
  releaseDate: z.string(),
  stagingPercentage: z.number().min(0).max(100).optional(),
  releaseNotes: z.string().optional(),
});
type UpdateInfo = z.infer<typeof UpdateInfo>;


/** The platform an installer is for, from its extension; null when it cannot be told. */
export function platformOf(file: string): UpdatePlatform | null {
  const f = file.toLowerCase();
  if (f.endsWith('.exe') || f.endsWith('.msi')) return 'windows';
  if (f.endsWith('.dmg') || f.endsWith('-mac.zip') || f.endsWith('.pkg')) return 'mac';
  if (f.endsWith('.appimage') || f.endsWith('.deb') || f.endsWith('.rpm')) return 'linux';
  return null;
}

export interface PublishRequest {
  channel: UpdateChannel;
  version: string;
  platform?: UpdatePlatform;
  /** Paths of the artifacts on this machine; the first is the one electron-updater downloads. */
  files: string[];
  /** Percentage of installs offered the update (electron-updater's stagingPercentage). */
  rollout?: number;
  notes?: string;
}

/**
 * The update feed OpsDesk serves to its desktops: per channel a folder under DATA_DIR/updates
 * holding the artifacts and the latest*.yml electron-updater's generic provider reads, exactly the
 * layout electron-builder publishes. Publishing copies the artifacts (sha512 and size computed while
 * copying), then replaces the yml atomically; a staged rollout is the yml's stagingPercentage.
 * Several backend instances must share DATA_DIR for the feed (as they do for backups).
 */
export class UpdateFeed {
  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  private channelDir(channel: UpdateChannel): string {
    return path.join(this.dir, channel);
  }

  private read(channel: UpdateChannel, platform: UpdatePlatform): UpdateInfo | null {
    const file = path.join(this.channelDir(channel), FEED_FILES[platform]);
    if (!existsSync(file)) return null;
    return UpdateInfo.parse(parse(readFileSync(file, 'utf8')));
  }

  private write(channel: UpdateChannel, platform: UpdatePlatform, info: UpdateInfo): void {
    const file = path.join(this.channelDir(channel), FEED_FILES[platform]);
    writeFileSync(`${file}.tmp`, stringify(info), { mode: 0o644 });
    renameSync(`${file}.tmp`, file);
  }

  async publish(req: PublishRequest): Promise<UpdateRelease> {
    if (!semver.valid(req.version)) throw new AppError('validation_failed', `"${req.version}" is not a version like 1.4.0 or 1.5.0-beta.1`);
    if (req.files.length === 0) throw new AppError('validation_failed', 'Name at least one installer to publish');
    const platform = req.platform ?? platformOf(req.files[0]!);
    if (!platform) throw new AppError('validation_failed', `Cannot tell the platform of ${path.basename(req.files[0]!)}: pass --platform windows|mac|linux`);
    const rollout = req.rollout ?? 100;
    if (!(rollout >= 0 && rollout <= 100)) throw new AppError('validation_failed', 'The rollout is a percentage from 0 to 100');
    for (const f of req.files) {
      if (!existsSync(f)) throw new AppError('validation_failed', `${f} does not exist`);
      if (!SAFE_ARTIFACT.test(path.basename(f))) throw new AppError('validation_failed', `${path.basename(f)}: an artifact name may hold letters, digits and . _ + - only`);
    }
    const current = this.read(req.channel, platform);
    if (current && !semver.gt(req.version, current.version)) {
      throw new AppError('conflict', `${req.channel}/${platform} already offers ${current.version}; publish a higher version`);
    }
    const dir = this.channelDir(req.channel);
    mkdirSync(dir, { recursive: true });
    const files: UpdateInfo['files'] = [];
    for (const f of req.files) files.push({ url: path.basename(f), ...(await copyWithDigest(f, path.join(dir, path.basename(f)))) });
    const info: UpdateInfo = {
      version: req.version,
      files,
      path: files[0]!.url,
      sha512: files[0]!.sha512,
      releaseDate: new Date(this.clock.now()).toISOString(),
      ...(rollout < 100 ? { stagingPercentage: rollout } : {}),
      ...(req.notes ? { releaseNotes: req.notes } : {}),
    };
    this.write(req.channel, platform, info);
    return toRelease(req.channel, platform, info);
  }

  setRollout(channel: UpdateChannel, platform: UpdatePlatform, percentage: number): UpdateRelease {
    const info = this.read(channel, platform);
    if (!info) throw new AppError('not_found', `Nothing is published for ${platform} on ${channel}`);
    const { stagingPercentage: _old, ...rest } = info;
    const next: UpdateInfo = percentage < 100 ? { ...rest, stagingPercentage: percentage } : rest;
    this.write(channel, platform, next);
    return toRelease(channel, platform, next);
  }

  releases(): UpdateRelease[] {
    return UPDATE_CHANNELS.flatMap((c) => UPDATE_PLATFORMS.flatMap((p) => {
      const info = this.read(c, p);
      return info ? [toRelease(c, p, info)] : [];
    }));
  }

  /** The file to serve for GET /updates/<channel>/<name>, or null. */
  file(channel: string, name: string): string | null {
    if (!(UPDATE_CHANNELS as readonly string[]).includes(channel) || !SAFE_ARTIFACT.test(name)) return null;
    const file = path.join(this.channelDir(channel as UpdateChannel), name);
    return existsSync(file) ? file : null;
  }
}

/** The audit entry of a publication, whoever published (an admin in the app, the CLI). */
export function publishedAudit(release: UpdateRelease) {
  return {
    action: 'update.published',
    targetType: 'update',
    targetId: `${release.channel}/${release.platform}`,
    details: { version: release.version, files: release.files.map((f) => f.name), rollout: release.rolloutPercentage },
  } as const;
}

function toRelease(channel: UpdateChannel, platform: UpdatePlatform, info: UpdateInfo): UpdateRelease {
  return {
    channel,
    platform,
    version: info.version,
    files: info.files.map((f) => ({ name: f.url, size: f.size, sha512: f.sha512 })),
    rolloutPercentage: info.stagingPercentage ?? 100,
    releaseDate: info.releaseDate,
    notes: info.releaseNotes ?? null,
  };
}

/** Copies a file (through a temporary name) and returns its sha512 (base64, as electron-updater checks) and size. */
async function copyWithDigest(from: string, to: string): Promise<{ sha512: string; size: number }> {
  const hash = createHash('sha512');
  let size = 0;
  const tmp = `${to}.part`;
  try {
    await pipeline(
      createReadStream(from),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(tmp, { mode: 0o644 }),
    );
    renameSync(tmp, to);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { sha512: hash.digest('base64'), size };
}
