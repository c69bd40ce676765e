import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { BackupManifest } from '../../../shared/api/backups';

/** JSON with keys sorted at every level: the bytes a manifest's HMAC covers. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The keys of the backups, derived (HKDF-SHA256) from BACKUP_KEY (else JWT_SECRET), one per
 * purpose: the manifest signature and the file encryption.
 */
export class BackupKeys {
  private readonly signing: Buffer;
  readonly encryption: Buffer;

  constructor(secret: string) {
    this.signing = Buffer.from(hkdfSync('sha256', secret, 'opsdesk', 'opsdesk backup manifest', 32));
    this.encryption = Buffer.from(hkdfSync('sha256', secret, 'opsdesk', 'opsdesk backup encryption', 32));
  }

  private mac(manifest: BackupManifest): string {
    const { hmac: _ignored, ...rest } = manifest;
    return createHmac('sha256', this.signing).update(canonical(rest)).digest('hex');
  }

  sign(manifest: BackupManifest): BackupManifest {
    return { ...manifest, hmac: this.mac(manifest) };
  }

  /** Returns why the manifest cannot be trusted, or null. */
  problem(manifest: BackupManifest): string | null {
    if (!manifest.hmac) return 'its manifest is not signed (planted, or taken by an OpsDesk without signing)';
    const want = Buffer.from(this.mac(manifest), 'hex');
    const got = Buffer.from(manifest.hmac, 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return 'its manifest signature does not match (altered, planted, or another BACKUP_KEY)';
    return null;
  }
}
