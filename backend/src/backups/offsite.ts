import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { BackupManifest } from '../../../shared/api/backups';
import type { Clock } from '../platform/clock';
import type { BackupKeys } from './backup-keys';
import { classify, type RetentionPolicy } from './retention';

export interface OffsiteConfig {
  /** sftp://user@host:port/folder */
  url: string;
  privateKeyFile: string;
  /** SHA-256 of the server's host key, base64 as `ssh-keygen -lf` prints it (without "SHA256:"). */
  hostKeySha256: string;
}

export interface OffsiteCopy {
  manifest: BackupManifest;
  name: string;
}

const MANIFEST = '.manifest.json';

/**
 * Off-site copies on an SFTP server: each sealed backup with its signed manifest, the same
 * retention as the local folder, listing, and fetching one back into the backup folder for a
 * restore. The host key is pinned; only manifests with a valid signature are listed.
 */
export class OffsiteStore {
  private readonly folder: string;

  constructor(
    private readonly config: OffsiteConfig,
    private readonly keys: BackupKeys,
    private readonly retention: RetentionPolicy,
    private readonly clock: Clock,
  ) {
    this.folder = decodeURIComponent(new URL(config.url).pathname) || '.';
  }

  get where(): string {
    const u = new URL(this.config.url);
    return `sftp://${u.username}@${u.host}${this.folder}`;
  }

  private async session<T>(fn: (sftp: SftpClient) => Promise<T>): Promise<T> {
    const u = new URL(this.config.url);
    const sftp = new SftpClient('opsdesk-offsite');
    const want = this.config.hostKeySha256.replace(/^SHA256:/, '').replace(/=+$/, '');
    await sftp.connect({
      host: u.hostname,
      port: Number(u.port || 22),
      username: decodeURIComponent(u.username),
      privateKey: readFileSync(this.config.privateKeyFile),
      readyTimeout: 15_000,
      hostVerifier: (key: Buffer) => createHash('sha256').update(key).digest('base64').replace(/=+$/, '') === want,
    });
    try {
      return await fn(sftp);
    } finally {
      await sftp.end();
    }
  }

  async list(): Promise<OffsiteCopy[]> {
    return this.session((sftp) => this.listWith(sftp));
  }

  private async listWith(sftp: SftpClient): Promise<OffsiteCopy[]> {
    if (!(await sftp.exists(this.folder))) return [];
    const out: OffsiteCopy[] = [];
    for (const entry of await sftp.list(this.folder, (e) => e.name.endsWith(MANIFEST))) {
      const body = (await sftp.get(`${this.folder}/${entry.name}`)) as Buffer;
      const parsed = BackupManifest.safeParse(JSON.parse(body.toString('utf8')));
      // Unsigned or foreign manifests are not ours to list or restore.
      if (!parsed.success || this.keys.problem(parsed.data)) continue;
      out.push({ manifest: parsed.data, name: entry.name.slice(0, -MANIFEST.length) });
    }
    return out.sort((a, b) => b.manifest.createdAt - a.manifest.createdAt);
  }

  /** Uploads the backups the retention keeps that are not there yet, then deletes copies it no longer keeps. */
  async sync(local: { file: string; createdAt: number }[], log: (l: string) => void): Promise<{ uploaded: string[]; pruned: string[] }> {
    return this.session(async (sftp) => {
      await sftp.mkdir(this.folder, true);
      const before = await this.listWith(sftp);
      const there = new Set(before.map((c) => c.name));
      const all = [...before.map((c) => ({ id: c.name, createdAt: c.manifest.createdAt })), ...local.map((b) => ({ id: path.basename(b.file), createdAt: b.createdAt }))];
      const keep = classify(all, this.clock.now(), this.retention);
      const uploaded: string[] = [];
      for (const { file } of local) {
        const name = path.basename(file);
        if (there.has(name) || !(keep.get(name) ?? []).length) continue;
        log(`uploading ${name} to ${this.where}`);
        await sftp.put(file, `${this.folder}/.${name}.partial`);
        await sftp.rename(`${this.folder}/.${name}.partial`, `${this.folder}/${name}`);
        await sftp.put(`${file}${MANIFEST}`, `${this.folder}/${name}${MANIFEST}`);
        uploaded.push(name);
      }
      const copies = await this.listWith(sftp);
      const kept = classify(copies.map((c) => ({ id: c.name, createdAt: c.manifest.createdAt })), this.clock.now(), this.retention);
      const pruned: string[] = [];
      for (const c of copies) {
        if ((kept.get(c.name) ?? []).length) continue;
        await sftp.delete(`${this.folder}/${c.name}${MANIFEST}`);
        await sftp.delete(`${this.folder}/${c.name}`, true);
        pruned.push(c.name);
        log(`pruned off-site ${c.name}`);
      }
      return { uploaded, pruned };
    });
  }

  /** Downloads a copy (by manifest id) into `dir`; the restore then verifies it like any local backup. */
  async fetch(id: string, dir: string, log: (l: string) => void): Promise<string | null> {
    return this.session(async (sftp) => {
      const copy = (await this.listWith(sftp)).find((c) => c.manifest.id === id);
      if (!copy) return null;
      const dest = path.join(dir, copy.name);
      log(`fetching ${copy.name} from ${this.where}`);
      try {
        await sftp.fastGet(`${this.folder}/${copy.name}`, `${dest}.partial`);
        await sftp.fastGet(`${this.folder}/${copy.name}${MANIFEST}`, `${dest}${MANIFEST}`);
        renameSync(`${dest}.partial`, dest);
        chmodSync(dest, 0o600);
        chmodSync(`${dest}${MANIFEST}`, 0o600);
      } finally {
        rmSync(`${dest}.partial`, { force: true });
      }
      return dest;
    });
  }
}
