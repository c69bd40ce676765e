import path from 'node:path';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../platform/clock';
import { RunbookFailure, type AnyRunbook } from '../runbooks/runbook';
import { sealFile } from './files';

const POLL_MS = 100;

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/**
 * The manual's Redis backup: BGSAVE, wait for it, then copy dump.rdb (from the server's own `dir`
 * and `dbfilename`, so Redis runs on this host) into the backup folder, sealed like every backup.
 */
export function redisBackupRunbook(d: { url: string | undefined; dir: string; key: Buffer; clock: Clock }): AnyRunbook {
  return {
    id: 'backup-redis',
    title: 'Back up Redis',
    description: 'BGSAVE on REDIS_BACKUP_URL (default REDIS_URL), then a copy of dump.rdb into the backup folder, compressed and encrypted (AES-256-GCM).',
    kind: 'builtin',
    schema: z.object({}).strict(),
    minRole: 'oncall',
    destructive: () => false,
    destructiveWhen: null,
    timeoutMs: 30 * 60_000,
    lockKey: () => 'redis-backup',
    async run(exec) {
      if (!d.url) throw new RunbookFailure('no Redis to back up: set REDIS_BACKUP_URL (or REDIS_URL)');
      const redis = new Redis(d.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
      redis.on('error', (err: Error) => exec.log(`redis: ${err.message}`, 'err'));
      try {
        await redis.connect();
        exec.log(`BGSAVE on ${new URL(d.url).host}`);
        exec.log(String(await redis.bgsave()));
        for (;;) {
          if (exec.signal.aborted) throw new RunbookFailure('cancelled while BGSAVE ran');
          const info = await redis.info('persistence');
          if (infoField(info, 'rdb_bgsave_in_progress') === '0') {
            const status = infoField(info, 'rdb_last_bgsave_status');
            if (status !== 'ok') throw new RunbookFailure(`BGSAVE failed (rdb_last_bgsave_status: ${status ?? 'unknown'})`);
            break;
          }
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
        const [, dir] = (await redis.config('GET', 'dir')) as string[];
        const [, name] = (await redis.config('GET', 'dbfilename')) as string[];
        const src = path.join(dir!, name!);
        const stamp = new Date(d.clock.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
        const dest = path.join(d.dir, `redis-${stamp}.rdb.gz.enc`);
        exec.log(`copying ${src} → ${dest} (gzip + AES-256-GCM)`);
        const { sha256, size } = await sealFile(src, dest, d.key, 'gzip');
        return { summary: `BGSAVE done; ${name} copied to ${path.basename(dest)} (${size} bytes, sealed)`, result: { file: dest, sha256, sizeBytes: size } };
      } finally {
        redis.disconnect();
      }
    },
  };
}
