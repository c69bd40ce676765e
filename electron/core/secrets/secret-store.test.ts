import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const here = path.dirname(new URL(import.meta.url).pathname);
const probe = path.join(here, '../test-support/keytar-probe.ts');
const withKeyring = path.join(here, '../test-support/with-keyring.sh');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const out = execFileSync(cmd, args, { env, encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out) as { kind: string; notice: { code: string; message: string } | null; read: string | null; deleted: boolean; afterDelete: string | null };
}

describe('secret store', () => {
  it('keeps tokens in the real Secret Service (gnome-keyring) through keytar', () => {
    const result = run(withKeyring, [process.execPath, '--import', 'tsx', probe], { ...process.env });
    expect(result).toMatchObject({ kind: 'keychain', notice: null, read: 'refresh-token-value', deleted: true, afterDelete: null });
  });

  it('falls back to the encrypted file with a visible notice when no keychain answers', () => {
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const result = run(process.execPath, ['--import', 'tsx', probe], { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    expect(result.kind).toBe('encrypted-file');
    expect(result.notice?.code).toBe('keychain_unavailable');
    expect(result).toMatchObject({ read: 'refresh-token-value', deleted: true, afterDelete: null });
  });
});
