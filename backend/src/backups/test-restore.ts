import { rmSync } from 'node:fs';
import { z } from 'zod';
import type { DatabaseHandle } from '../platform/db/connect';
import { RunbookFailure, type AnyRunbook } from '../runbooks/runbook';
import type { BackupService } from './backup-service';
import { pgStage } from './pg-restore';
import { inspectSqliteFile, PRESERVED_TABLES } from './sqlite-engine';
import { rebuildFromOwnSchema } from './sqlite-rebuild';

/**
 * The monthly "test restoration": the latest backup restored for real into a scratch database
 * (SQLite: a scratch file; PostgreSQL: a stage schema), its row counts checked against the
 * manifest, then thrown away. The live database is never touched.
 */
export function testRestoreRunbook(d: { backups: BackupService; handle: DatabaseHandle; url: string }): AnyRunbook {
  return {
    id: 'test-restore',
    title: 'Test a restoration',
    description: 'Restores the latest backup into a scratch database, verifies integrity and row counts against its manifest, then drops the scratch copy.',
    kind: 'builtin',
    schema: z.object({}).strict(),
    minRole: 'oncall',
    destructive: () => false,
    destructiveWhen: null,
    timeoutMs: 120 * 60_000,
    lockKey: () => 'test-restore',
    async run(exec) {
      const latest = (await d.backups.list(50, 'ok')).find((b) => b.kind !== 'safety');
      if (!latest) throw new RunbookFailure('no backup to test: take one first (backup-database)');
      exec.log(`testing backup ${latest.id} of ${new Date(latest.createdAt).toISOString()}`);
      const v = await d.backups.verify(latest.id, (l) => exec.log(l));
      try {
        if (d.handle.dialect === 'sqlite') {
          const scratch = `${v.copy!}.scratch`;
          try {
            await rebuildFromOwnSchema(v.copy!, scratch, v.manifest.schemaVersion, (l) => exec.log(l));
            const check = await inspectSqliteFile(scratch);
            const wrong = Object.entries(v.manifest.rowCounts).filter(([t, n]) => !PRESERVED_TABLES.includes(t) && check.rowCounts[t] !== n);
            if (!check.ok || wrong.length) throw new RunbookFailure(`the scratch restore differs: ${check.ok ? wrong.slice(0, 5).map(([t, n]) => `${t} ${check.rowCounts[t] ?? 'missing'} vs ${n}`).join(', ') : check.message}`);
            exec.log(`scratch database: ${check.message}`);
          } finally {
            for (const f of [scratch, `${scratch}-wal`, `${scratch}-shm`]) rmSync(f, { force: true });
          }
        } else await pgStage(d.handle, d.url, v.copy ?? v.file, v.manifest.schemaVersion, v.manifest.rowCounts, (l) => exec.log(l), async () => undefined);
      } finally {
        if (v.copy) rmSync(v.copy, { force: true });
      }
      return { summary: `backup ${latest.id} restores: every table's row count matches its manifest`, result: { backupId: latest.id, ok: true } };
    },
  };
}
