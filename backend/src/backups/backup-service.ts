import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely, Selectable } from 'kysely';
import type { BackupManifest, Backup, BackupClass, BackupKind, BackupOverview } from '../../../shared/api/backups';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { DatabaseHandle } from '../platform/db/connect';
import { migrateToLatest } from '../platform/db/migrate';
import { allMigrations } from '../platform/db/migrations';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import type { Clock } from '../platform/clock';
import { uuid } from '../platform/ids';
import type { MaintenanceMode } from '../maintenance/maintenance-mode';
import { VERSION } from '../version';
import type { BackupsTable } from '../jobs/tables';
import type { BackupKeys } from './backup-keys';
import { BackupRefused, BackupSources, type BackupSource } from './backup-source';
import type { OffsiteStore } from './offsite';
import { codecAvailable, FAST_CODEC } from './backup-worker';
import { freeBytes, openSealed, sealFile, sha256File } from './files';
import { pgRestoreStaged } from './pg-restore';
import { pgDump, pgList, pgRowCounts } from './pg-engine';
import { classify, type RetentionPolicy } from './retention';
import { rebuildFromOwnSchema } from './sqlite-rebuild';
import { applySqliteCopy, inspectSqliteFile, PRESERVED_TABLES, sqliteOnlineBackup, verifyLiveSqlite } from './sqlite-engine';

export type Log = (line: string) => void;
export { BackupRefused } from './backup-source';

export interface BackupNotifier {
  /** Success and failure of backups and restores: live event + alert/notification where available. */
  backupFinished(backup: Backup): void;
  backupFailed(kind: BackupKind, error: string): void;
  restoreFinished(outcome: { backupId: string; ok: boolean; message: string }): void;
  /** A failure the caller does not see (the record of a failed backup could not be written). */
  reportError(what: 'backups.record-failure' | 'backups.read-record', err: unknown): void;
}

function toBackup(r: Selectable<BackupsTable>, keptBy: BackupClass[] = []): Backup {
  return {
    id: r.id,
    createdAt: Number(r.created_at),
    dialect: r.dialect as Backup['dialect'],
    kind: r.kind as BackupKind,
    status: r.status as Backup['status'],
    file: r.file,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    sha256: r.sha256,
    verified: r.verified === 1,
    verification: r.verification,
    rowCounts: r.row_counts ? (JSON.parse(r.row_counts) as Record<string, number>) : null,
    schemaVersion: r.schema_version,
    jobId: r.job_id,
    keptBy,
    prunedAt: r.pruned_at === null ? null : Number(r.pruned_at),
    error: r.error,
  };
}

function stamp(t: number): string {
  return new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Full backups with checksum and verification, the retention table, and restore with a safety
 * backup first (the manual's "Backup & Recovery"). Works with or without the HTTP server.
 */
export class BackupService {
  private readonly db: Kysely<Database>;
  private readonly sources: BackupSources;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly databaseUrl: string,
    readonly dir: string,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly maintenance: MaintenanceMode,
    private readonly retention: RetentionPolicy,
    private readonly minFreeBytes: number,
    private readonly keys: BackupKeys,
    private readonly notifier: BackupNotifier | null = null,
    readonly offsite: OffsiteStore | null = null,
  ) {
    this.db = handle.db;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    this.sources = new BackupSources(this.db, dir, keys, (err) => this.notifier?.reportError('backups.read-record', err));
  }

  async list(limit = 100, status?: Backup['status']): Promise<Backup[]> {
    let q = this.db.selectFrom('backups').selectAll();
    if (status) q = q.where('status', '=', status);
    const rows = await q.orderBy('created_at', 'desc').limit(limit).execute();
    const kept = await this.keptBy();
    return rows.map((r) => toBackup(r, kept.get(r.id) ?? []));
  }

  async get(id: string): Promise<Backup> {
    const row = await this.db.selectFrom('backups').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Backup ${id}`);
    return toBackup(row, (await this.keptBy()).get(id) ?? []);
  }

  async lastSuccessAt(): Promise<number | null> {
    const r = await this.db.selectFrom('backups').select((eb) => eb.fn.max('created_at').as('t')).where('status', '=', 'ok').where('kind', '!=', 'safety').executeTakeFirst();
    return r?.t == null ? null : Number(r.t);
  }

  private async keptBy(): Promise<Map<string, BackupClass[]>> {
    const ok = await this.db.selectFrom('backups').select(['id', 'created_at']).where('status', '=', 'ok').execute();
    return classify(ok.map((r) => ({ id: r.id, createdAt: Number(r.created_at) })), this.clock.now(), this.retention);
  }

  /** Takes, verifies and catalogues a full backup. Throws (after recording a failed row) on failure. */
  async create(kind: BackupKind, opts: { jobId?: string | null; log?: Log; actor?: Actor } = {}): Promise<Backup> {
    const log = opts.log ?? (() => {});
    const id = uuid();
    const createdAt = this.clock.now();
    const dialect = this.handle.dialect;
    const base = `opsdesk-${stamp(createdAt)}-${kind}-${id.slice(0, 8)}`;
    const fileName = dialect === 'sqlite' ? `${base}.sqlite.${FAST_CODEC === 'zstd' ? 'zst' : 'gz'}` : `${base}.pgdump`;
    const dest = path.join(this.dir, fileName);
    const tmp = path.join(this.dir, `.${base}.tmp`);
    try {
      await this.checkFreeSpace(log);
      let manifest: BackupManifest;
      if (dialect === 'sqlite') {
        log(`online backup of ${this.handle.sqliteFile} (SQLite backup API, in a worker thread)`);
        await sqliteOnlineBackup(this.handle, tmp);
        log(`verifying the copy (integrity_check, row counts) while compressing it (${FAST_CODEC} level 1), encrypting (AES-256-GCM) and hashing (sha256) in one pass, off the event loop`);
        const [checked, sealed] = await Promise.allSettled([inspectSqliteFile(tmp), sealFile(tmp, `${dest}.partial`, this.keys.encryption, FAST_CODEC)]);
        if (checked.status === 'rejected') throw checked.reason;
        if (sealed.status === 'rejected') throw sealed.reason;
        const check = checked.value;
        if (!check.ok) throw new Error(`verification of the copy failed: ${check.message}`);
        log(check.message);
        const { sha256, size } = sealed.value;
        renameSync(`${dest}.partial`, dest);
        manifest = { format: 'opsdesk-backup/1', id, createdAt, dialect, kind, file: fileName, compression: FAST_CODEC, encryption: 'aes-256-gcm', sizeBytes: size, sha256, schemaVersion: check.schemaVersion, rowCounts: check.rowCounts, verified: true, verification: check.message, appVersion: VERSION };
      } else {
        log('pg_dump -Fc of an exported snapshot');
        const { rowCounts, schemaVersion } = await pgDump(this.handle, this.databaseUrl, tmp);
        log('verifying with pg_restore --list');
        const toc = await pgList(tmp);
        log('encrypting (AES-256-GCM) and hashing (sha256)');
        const { sha256, size } = await sealFile(tmp, `${dest}.partial`, this.keys.encryption, null);
        renameSync(`${dest}.partial`, dest);
        const verification = `pg_restore --list ok (${toc.length} entries); ${Object.keys(rowCounts).length} tables, ${Object.values(rowCounts).reduce((a, b) => a + b, 0)} rows`;
        log(verification);
        manifest = { format: 'opsdesk-backup/1', id, createdAt, dialect, kind, file: fileName, compression: 'pg_custom', encryption: 'aes-256-gcm', sizeBytes: size, sha256, schemaVersion, rowCounts, verified: true, verification, appVersion: VERSION };
      }
      manifest = this.keys.sign(manifest);
      writeFileSync(`${dest}.manifest.json`, JSON.stringify(manifest, null, 2), { mode: 0o600 });
      log(`sha256 ${manifest.sha256}, ${manifest.sizeBytes} bytes → ${dest}`);
      await this.db
        .insertInto('backups')
        .values({ id, created_at: createdAt, dialect, kind, status: 'ok', file: dest, size_bytes: manifest.sizeBytes, sha256: manifest.sha256, verified: 1, verification: manifest.verification, row_counts: JSON.stringify(manifest.rowCounts), schema_version: manifest.schemaVersion, job_id: opts.jobId ?? null, pruned_at: null, error: null })
        .execute();
      if (opts.actor) await this.audit.record(opts.actor, { action: 'backup.create', targetType: 'backup', targetId: id, details: { kind, file: dest, sha256: manifest.sha256 } });
      const backup = await this.get(id);
      this.notifier?.backupFinished(backup);
      return backup;
    } catch (e) {
      const message = (e as Error).message;
      rmSync(`${dest}.partial`, { force: true });
      rmSync(dest, { force: true });
      await this.db
        .insertInto('backups')
        .values({ id, created_at: createdAt, dialect, kind, status: 'failed', file: null, size_bytes: null, sha256: null, verified: 0, verification: null, row_counts: null, schema_version: null, job_id: opts.jobId ?? null, pruned_at: null, error: message })
        .execute()
        .catch((err: unknown) => this.notifier?.reportError('backups.record-failure', err));
      this.notifier?.backupFailed(kind, message);
      throw e;
    } finally {
      for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
    }
  }

  private async checkFreeSpace(log: Log): Promise<void> {
    const free = await freeBytes(this.dir);
    let estimate = 0;
    if (this.handle.sqliteFile && existsSync(this.handle.sqliteFile)) estimate = statSync(this.handle.sqliteFile).size * 2;
    else if (this.handle.dialect === 'postgres') {
      const { sql } = await import('kysely');
      const r = await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(this.db);
      estimate = Number(r.rows[0]!.n);
    }
    const need = estimate + this.minFreeBytes;
    log(`free space in ${this.dir}: ${Math.round(free / 1048576)} MiB (need about ${Math.round(need / 1048576)} MiB)`);
    if (free < need) throw new Error(`not enough free space in ${this.dir}: ${Math.round(free / 1048576)} MiB free, about ${Math.round(need / 1048576)} MiB needed`);
  }

  /** Finds a backup by catalogue id, by manifest id, or by a file inside the backup folder; else fetches the off-site copy with that id. */
  async resolve(ref: string, log: Log = () => {}): Promise<BackupSource> {
    try {
      return await this.sources.resolve(ref);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'not_found' || !this.offsite || /[/.]/.test(ref)) throw e;
      if (!(await this.offsite.fetch(ref, this.dir, log))) throw e;
      return this.sources.resolve(ref);
    }
  }

  /** Every signed manifest in the backup folder (how the CLI lists backups when the catalogue is gone). */
  scanManifests(): BackupSource[] {
    return this.sources.scan();
  }

  /**
   * Checks a backup without touching the database: size, sha256, then the content itself (SQLite:
   * decompress, integrity_check, row counts equal the manifest's; PostgreSQL: pg_restore --list).
   * Returns the decompressed copy for SQLite (caller removes it).
   */
  async verify(idOrFile: string, log: Log = () => {}): Promise<{ manifest: BackupManifest; file: string; copy: string | null; message: string }> {
    const { manifest, file } = await this.resolve(idOrFile, log);
    if (manifest.dialect !== this.handle.dialect) throw new BackupRefused(`backup ${manifest.id} is a ${manifest.dialect} backup; this server runs ${this.handle.dialect}`);
    const latest = Object.keys(allMigrations({ dialect: this.handle.dialect })).sort().at(-1) ?? '';
    if (manifest.schemaVersion && manifest.schemaVersion > latest) {
      throw new BackupRefused(`backup ${manifest.id} was taken by a newer OpsDesk (schema ${manifest.schemaVersion}; this build knows up to ${latest}): upgrade first`);
    }
    const size = statSync(file).size;
    if (size !== manifest.sizeBytes) throw new BackupRefused(`backup ${manifest.id} is ${size} bytes, the manifest says ${manifest.sizeBytes}: truncated or altered`);
    log('checking sha256');
    const sha = await sha256File(file);
    if (sha !== manifest.sha256) throw new BackupRefused(`backup ${manifest.id} fails its checksum (sha256 ${sha.slice(0, 12)}…, manifest ${manifest.sha256.slice(0, 12)}…): corrupt or altered`);
    const copy = await this.openCopy(manifest, file, log);
    if (manifest.dialect === 'postgres') {
      try {
        const toc = await pgList(copy ?? file);
        return { manifest, file, copy, message: `checksum ok; pg_restore --list ok (${toc.length} entries)` };
      } catch (e) {
        if (copy) rmSync(copy, { force: true });
        throw new BackupRefused(`backup ${manifest.id} is not a readable archive: ${(e as Error).message}`);
      }
    }
    if (!copy) throw new BackupRefused(`backup ${manifest.id}: no decompressed copy`);
    const check = await inspectSqliteFile(copy);
    const mismatch = Object.entries(manifest.rowCounts).filter(([t, n]) => check.rowCounts[t] !== n);
    if (!check.ok || mismatch.length) {
      rmSync(copy, { force: true });
      throw new BackupRefused(`backup ${manifest.id} fails verification: ${check.ok ? `row counts differ (${mismatch.slice(0, 3).map(([t, n]) => `${t} ${check.rowCounts[t]} vs ${n}`).join(', ')})` : check.message}`);
    }
    return { manifest, file, copy, message: `checksum ok; ${check.message}; row counts match the manifest` };
  }

  /**
   * The plain copy a check or restore reads (0600, in the 0700 folder): decrypted (and for SQLite
   * decompressed); a wrong key or an altered byte fails GCM authentication here. PostgreSQL
   * archives stored in clear (older backups) are read where they are (null).
   */
  private async openCopy(manifest: BackupManifest, file: string, log: Log): Promise<string | null> {
    const sqlite = manifest.dialect === 'sqlite';
    if (!manifest.encryption && !sqlite) return null;
    const codec = manifest.compression === 'pg_custom' ? null : manifest.compression;
    if (!codecAvailable(codec)) throw new BackupRefused(`backup ${manifest.id} is compressed with ${codec}, which this runtime's zlib cannot read (Node ≥ 22.15 can)`);
    const copy = path.join(this.dir, `.verify-${manifest.id}-${process.pid}-${Date.now()}.${sqlite ? 'sqlite' : 'pgdump'}`);
    try {
      log(manifest.encryption ? 'decrypting (AES-256-GCM) into a private copy' : 'decompressing and opening the copy');
      await openSealed(file, copy, manifest.encryption ? this.keys.encryption : null, codec);
      return copy;
    } catch (e) {
      rmSync(copy, { force: true });
      if (manifest.encryption) throw new BackupRefused(`backup ${manifest.id} cannot be decrypted: authentication failed (wrong key or altered file: ${(e as Error).message})`);
      throw new BackupRefused(`backup ${manifest.id} does not decompress: ${(e as Error).message}`);
    }
  }

  /**
   * The restore procedure: verify (refuse with the database untouched), maintenance mode, safety
   * backup, restore, migrate, verify, leave maintenance mode. A failure after the safety backup
   * restores the safety backup.
   */
  async restore(idOrFile: string, opts: { log?: Log; actor: Actor; jobId?: string | null }): Promise<{ backupId: string; safetyBackupId: string; message: string }> {
    const log = opts.log ?? (() => {});
    log(`1/7 verifying backup ${idOrFile}`);
    const verified = await this.verify(idOrFile, log);
    log(verified.message);
    const { manifest } = verified;
    await this.maintenance.enter(`restoring backup ${manifest.id} from ${new Date(manifest.createdAt).toISOString()}`);
    log('2/7 maintenance mode on: writes are refused with 503');
    try {
      log('3/7 taking a safety backup of the current database');
      const safety = await this.create('safety', { jobId: opts.jobId, log: (l) => log(`  ${l}`) });
      log(`safety backup ${safety.id}`);
      try {
        await this.apply(verified.file, verified.copy, manifest, log);
      } catch (e) {
        const reason = (e as Error).message;
        log(`restore failed: ${reason}; rolling back to the safety backup ${safety.id}`);
        const back = await this.verify(safety.id, log);
        try {
          await this.apply(back.file, back.copy, back.manifest, (l) => log(`  rollback: ${l}`));
        } finally {
          if (back.copy) rmSync(back.copy, { force: true });
        }
        await this.audit.record(opts.actor, { action: 'backup.restore_failed', targetType: 'backup', targetId: manifest.id, details: { reason, rolledBackTo: safety.id } });
        this.notifier?.restoreFinished({ backupId: manifest.id, ok: false, message: reason });
        throw new Error(`restore of ${manifest.id} failed (${reason}); the database was rolled back to safety backup ${safety.id}`, { cause: e });
      }
      const message = `restored backup ${manifest.id} (${new Date(manifest.createdAt).toISOString()}); safety backup ${safety.id}`;
      await this.audit.record(opts.actor, { action: 'backup.restore', targetType: 'backup', targetId: manifest.id, details: { safetyBackupId: safety.id, file: verified.file } });
      this.notifier?.restoreFinished({ backupId: manifest.id, ok: true, message });
      return { backupId: manifest.id, safetyBackupId: safety.id, message };
    } finally {
      if (verified.copy) rmSync(verified.copy, { force: true });
      await this.maintenance.leave();
      log('7/7 maintenance mode off');
    }
  }

  private async apply(file: string, copy: string | null, manifest: BackupManifest, log: Log): Promise<void> {
    log(`4/7 restoring ${path.basename(file)} (live tables kept: ${PRESERVED_TABLES.filter((t) => !t.startsWith('schema_')).join(', ')})`);
    if (this.handle.dialect === 'sqlite') {
      // The backup's rows go into a schema OpsDesk's migrations build; that copy replaces the live tables.
      const rebuilt = `${copy!}.rebuilt`;
      try {
        const skipped = await rebuildFromOwnSchema(copy!, rebuilt, manifest.schemaVersion, log);
        if (skipped.length) log(`tables OpsDesk does not define were left out: ${skipped.join(', ')}`);
        await applySqliteCopy(this.handle, rebuilt);
      } finally {
        for (const f of [rebuilt, `${rebuilt}-wal`, `${rebuilt}-shm`]) rmSync(f, { force: true });
      }
    }
    else await pgRestoreStaged(this.handle, this.databaseUrl, copy ?? file, manifest.schemaVersion, manifest.rowCounts, log);
    log('5/7 verifying the restored data against the manifest');
    const problems = this.handle.dialect === 'sqlite' ? await verifyLiveSqlite(this.handle, manifest.rowCounts) : await this.verifyLivePg(manifest.rowCounts);
    if (problems.length) throw new Error(`verification after restore failed: ${problems.slice(0, 5).join('; ')}`);
    log('6/7 applying migrations newer than the backup');
    const applied = await migrateToLatest(this.handle);
    log(applied.length ? `applied ${applied.join(', ')}` : 'schema already current');
  }

  private async verifyLivePg(expected: Record<string, number>): Promise<string[]> {
    const counts = await pgRowCounts(this.db);
    return Object.entries(expected)
      .filter(([t]) => !PRESERVED_TABLES.includes(t))
      .filter(([t, n]) => counts[t] !== n)
      .map(([t, n]) => `${t}: ${counts[t] ?? 'missing'} rows, backup had ${n}`);
  }

  /** Deletes backups no retention class keeps any more. Safety and pre-maintenance backups count like the rest. */
  async prune(log: Log = () => {}): Promise<{ pruned: string[]; kept: number }> {
    const kept = await this.keptBy();
    const pruned: string[] = [];
    const rows = await this.db.selectFrom('backups').select(['id', 'file']).where('status', '=', 'ok').execute();
    for (const r of rows) {
      if ((kept.get(r.id) ?? []).length) continue;
      if (r.file) {
        rmSync(r.file, { force: true });
        rmSync(`${r.file}.manifest.json`, { force: true });
      }
      await this.db.updateTable('backups').set({ status: 'pruned', pruned_at: this.clock.now() }).where('id', '=', r.id).execute();
      pruned.push(r.id);
      log(`pruned ${r.id} (${r.file})`);
    }
    return { pruned, kept: rows.length - pruned.length };
  }

  /** Prunes on a person's request (audited as backup.prune). */
  async pruneFor(actor: Actor): Promise<{ pruned: string[]; kept: number }> {
    const r = await this.prune();
    await this.audit.record(actor, { action: 'backup.prune', details: { pruned: r.pruned } });
    return r;
  }

  /** The manifest written beside the backup file; 409 when the file or its manifest cannot be used. */
  async manifest(id: string): Promise<BackupManifest> {
    const backup = await this.get(id);
    try {
      return (await this.resolve(backup.id)).manifest;
    } catch (err) {
      if (err instanceof BackupRefused) throw new AppError('conflict', err.message);
      throw err;
    }
  }

  /** What the backups screen shows beside the list; `schedules` come from the scheduler. */
  async overview(schedules: BackupOverview['schedules'], log: { warn(obj: object, msg: string): void }): Promise<BackupOverview> {
    return {
      directory: this.dir,
      schedules,
      retention: this.retention,
      lastSuccessAt: await this.lastSuccessAt(),
      freeBytes: await freeBytes(this.dir).catch((err: unknown) => {
        log.warn({ err, dir: this.dir }, 'backups: free space of the backup directory is unknown');
        return null;
      }),
    };
  }
}
