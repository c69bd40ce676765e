import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from './harness';
import { freePort } from './postgres-cluster';

export interface Sshd {
  port: number;
  user: string;
  /** The client's private key file and the server's host key fingerprint (SHA256, base64). */
  keyFile: string;
  hostKeySha256: string;
  /** Where the SFTP user's files land (a folder under the test's temp dir). */
  root: string;
  url(folder: string): string;
  stop(): Promise<void>;
}

/** Debian's OpenSSH server on a free loopback port with a temporary host key and one authorized key. */
export async function startSshd(): Promise<Sshd> {
  const dir = tempDir('opsdesk-sshd-');
  const hostKey = path.join(dir, 'host_ed25519');
  const keyFile = path.join(dir, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  writeFileSync(path.join(dir, 'authorized_keys'), execFileSync('cat', [`${keyFile}.pub`]), { mode: 0o600 });
  const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`], { encoding: 'utf8' });
  const hostKeySha256 = /SHA256:(\S+)/.exec(fp)![1]!;
  // sshd running as root wants its privilege-separation folder (a container may lack it).
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const root = path.join(dir, 'files');
  mkdirSync(root);
  const port = await freePort();
  const user = os.userInfo().username;
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      'Subsystem sftp internal-sftp',
      `AllowUsers ${user}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!log.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sshd did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    user,
    keyFile,
    hostKeySha256,
    root,
    url: (folder) => `sftp://${user}@127.0.0.1:${port}${path.join(root, folder)}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
