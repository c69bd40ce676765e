import { SYSTEM_ACTOR } from '../audit/audit-log';
import { CliUsageError, type CliCommand } from '../cli/command';
import { withServices } from '../cli/with-services';

const CLI_ACTOR = { ...SYSTEM_ACTOR, email: 'cli' };

/** Backup commands that work while the server is down (they open the database directly). */
export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Take a verified full backup now (works with the server stopped)',
  usage: 'backup',
  options: {},
  async run({ config, out }) {
    return withServices({ ...config, JOB_WORKERS: 0 }, async (ctx) => {
      const b = await ctx.backups.create('manual', { log: out, actor: CLI_ACTOR });
      out(`Backup ${b.id} written to ${b.file} (${b.sizeBytes} bytes, sha256 ${b.sha256})`);
      return 0;
    });
  },
};

export const listBackupsCommand: CliCommand = {
  name: 'list-backups',
  summary: 'List backups from the manifests in the backup folder (no database needed)',
  usage: 'list-backups',
  options: {},
  async run({ config, out }) {
    return withServices({ ...config, JOB_WORKERS: 0 }, async (ctx) => {
      const found = ctx.backups.scanManifests();
      if (!found.length) out(`No backups in ${ctx.backups.dir}`);
      for (const { manifest: m, file } of found) out(`${m.id}  ${new Date(m.createdAt).toISOString()}  ${m.kind.padEnd(15)} ${String(m.sizeBytes).padStart(12)} B  ${file}`);
      return 0;
    });
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'Restore a backup by id or file: verify, safety backup, restore, migrate, verify (stop the server first)',
  usage: 'restore <backup-id|file> --yes',
  options: { yes: { type: 'boolean' } },
  positionals: true,
  async run({ config, values, positionals, out, err }) {
    const target = positionals[0];
    if (!target) throw new CliUsageError('name the backup id or file to restore');
    if (!values.yes) throw new CliUsageError('restoring replaces the database: pass --yes to confirm');
    return withServices({ ...config, JOB_WORKERS: 0 }, async (ctx) => {
      try {
        const r = await ctx.backups.restore(target, { log: out, actor: CLI_ACTOR });
        out(r.message);
        return 0;
      } catch (e) {
        err(`Restore refused or failed: ${(e as Error).message}`);
        return 1;
      }
    });
  },
};
