import { z } from 'zod';
import { RunbookFailure, type AnyRunbook } from '../runbooks/runbook';
import type { BackupService } from './backup-service';

/** Copies every local backup not yet off-site to the SFTP server, then applies the retention there. */
export function offsiteSyncRunbook(backups: BackupService): AnyRunbook {
  return {
    id: 'offsite-sync',
    title: 'Copy backups off-site',
    description: 'Uploads the backups not yet on the off-site SFTP server (sealed, with their signed manifests) and deletes the copies the retention no longer keeps.',
    kind: 'builtin',
    schema: z.object({}).strict(),
    minRole: 'oncall',
    destructive: () => false,
    destructiveWhen: null,
    timeoutMs: 240 * 60_000,
    lockKey: () => 'offsite',
    async run(exec) {
      if (!backups.offsite) throw new RunbookFailure('no off-site store: set OFFSITE_SFTP_URL, OFFSITE_SFTP_KEY_FILE and OFFSITE_SFTP_HOST_KEY');
      const local = (await backups.list(1000, 'ok')).filter((b): b is typeof b & { file: string } => b.file !== null);
      const r = await backups.offsite.sync(local, (l) => exec.log(l));
      return { summary: `${r.uploaded.length} uploaded, ${r.pruned.length} pruned at ${backups.offsite.where}`, result: r };
    },
  };
}
