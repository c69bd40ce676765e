import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');

/**
 * How pg_dump / pg_restore connect without the password on their command line (visible to every
 * user in `ps`): the URL without it, and a PGPASSFILE (0600, in a private 0700 folder) holding it.
 */
export function pgCredentials(url: string): { dbname: string; env: Record<string, string>; cleanup(): void } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  if (!password) return { dbname: url, env: {}, cleanup: () => undefined };
  u.password = '';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdesk-pgpass-'));
  const file = path.join(dir, 'pgpass');
  const host = u.hostname || 'localhost';
  const port = u.port || '5432';
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '*';
  const user = decodeURIComponent(u.username) || '*';
  writeFileSync(file, `${[host, port, database, user].map(escape).join(':')}:${escape(password)}\n`, { mode: 0o600 });
  return { dbname: u.toString(), env: { PGPASSFILE: file }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
