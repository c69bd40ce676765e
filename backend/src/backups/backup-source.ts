import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { BackupManifest } from '../../../shared/api/backups';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';
import type { BackupKeys } from './backup-keys';

export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefused';
  }
}

export interface BackupSource {
  manifest: BackupManifest;
  file: string;
}

const MANIFEST = '.manifest.json';

function parseManifest(text: string): { success: true; data: BackupManifest } | { success: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { success: false, error: (e as Error).message };
  }
  const r = BackupManifest.safeParse(json);
  return r.success ? { success: true, data: r.data } : { success: false, error: r.error.message };
}

/**
 * Where a backup reference may point: a catalogue id, a manifest id found in the backup folder, or
 * a file inside the backup folder (by name or path). Anything else gets one answer, whether or not
 * the path exists, so the runbooks cannot probe the file system. A manifest must carry a valid HMAC.
 */
export class BackupSources {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dir: string,
    private readonly keys: BackupKeys,
    private readonly onReadError: (err: unknown) => void,
  ) {}

  private unknown(ref: string): AppError {
    return new AppError('not_found', `Backup ${ref} is not in the catalogue or in the backup folder`);
  }

  /** `file` resolved lexically inside the folder (no file-system access before the check), then through symlinks. */
  private inside(ref: string, file: string): string {
    const root = path.resolve(this.dir);
    const lexical = path.resolve(root, file);
    const rel = path.relative(root, lexical);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel) || rel.includes(path.sep)) throw this.unknown(ref);
    if (!existsSync(lexical)) throw this.unknown(ref);
    if (path.dirname(realpathSync(lexical)) !== realpathSync(root)) throw this.unknown(ref);
    return lexical;
  }

  async resolve(ref: string): Promise<BackupSource> {
    let file: string;
    let catalogued: string | null = null;
    // A restore must work on a damaged database: an unreadable backups table falls back to the folder.
    const row = await this.db.selectFrom('backups').selectAll().where('id', '=', ref).executeTakeFirst().catch((err: unknown) => void this.onReadError(err));
    if (row) {
      if (row.status !== 'ok' || !row.file) throw new BackupRefused(`backup ${ref} is ${row.status}${row.error ? ` (${row.error})` : ''}; it cannot be restored`);
      file = this.inside(ref, row.file);
      catalogued = row.sha256;
    } else {
      const found = this.scan().find((m) => m.manifest.id === ref);
      file = found ? found.file : this.inside(ref, ref.endsWith(MANIFEST) ? ref.slice(0, -MANIFEST.length) : ref);
    }
    const manifestFile = `${file}${MANIFEST}`;
    if (!existsSync(manifestFile)) throw new BackupRefused(`no manifest beside ${path.basename(file)}: its checksum cannot be checked`);
    const parsed = parseManifest(readFileSync(manifestFile, 'utf8'));
    if (!parsed.success) throw new BackupRefused(`manifest ${path.basename(manifestFile)} is not valid: ${parsed.error}`);
    const manifest = parsed.data;
    // A backup catalogued before manifests were signed is vouched for by its catalogue row's checksum.
    const legacy = !manifest.hmac && catalogued !== null && catalogued === manifest.sha256;
    const problem = legacy ? null : this.keys.problem(manifest);
    if (problem) throw new BackupRefused(`backup ${path.basename(file)} is refused: ${problem}`);
    if (manifest.file !== path.basename(file)) throw new BackupRefused(`manifest of ${path.basename(file)} names another file (${manifest.file})`);
    return { manifest, file };
  }

  /** Every signed manifest in the backup folder (how the CLI lists backups when the catalogue is gone). */
  scan(): BackupSource[] {
    if (!existsSync(this.dir)) return [];
    const out: BackupSource[] = [];
    for (const f of readdirSync(this.dir).filter((f) => f.endsWith(MANIFEST))) {
      const parsed = parseManifest(readFileSync(path.join(this.dir, f), 'utf8'));
      // Not ours, damaged or unsigned: left out of listings, refused at restore.
      if (!parsed.success || this.keys.problem(parsed.data)) continue;
      out.push({ manifest: parsed.data, file: path.join(this.dir, f.slice(0, -MANIFEST.length)) });
    }
    return out.sort((a, b) => b.manifest.createdAt - a.manifest.createdAt);
  }
}
