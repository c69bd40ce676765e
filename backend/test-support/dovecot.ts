import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { tempDir } from './harness';
import { freePort } from './postgres-cluster';

export interface MailUser {
  user: string;
  password: string;
}

/** A test-owned Dovecot (IMAP + LMTP) on loopback: own config, passwd-file users, mail in a temp dir. */
export interface Dovecot {
  host: string;
  imapPort: number;
  lmtpPort: number;
  dir: string;
  /** Delivers a raw RFC 5322 message to `to`'s INBOX over LMTP. */
  deliver(to: string, raw: string | Buffer, from?: string): Promise<void>;
  /** An IMAP client logged in as `user` (caller logs out). */
  client(user: string): Promise<ImapFlow>;
  /** Every message in a user's folder, raw, with its flags. */
  messages(user: string, folder?: string): Promise<{ uid: number; flags: string[]; source: string }[]>;
  stop(): Promise<void>;
}

const DOVECOT = '/usr/sbin/dovecot';
export const MAIL_PASSWORD = 'mail-test-password';

function mailIdentity(): { uid: number; gid: number; loginUser: string; internalUser: string } {
  const me = os.userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, loginUser: me.username, internalUser: me.username };
  // Dovecot never serves mail as root: as root the mail is owned by nobody, the daemons use Debian's users.
  return { uid: 65534, gid: 65534, loginUser: 'dovenull', internalUser: 'dovecot' };
}

export async function startDovecot(users: string[], options: { noIdle?: boolean } = {}): Promise<Dovecot> {
  if (!existsSync(DOVECOT)) throw new Error('Dovecot is not installed: apt-get install -y dovecot-imapd dovecot-lmtpd (.ci/run does)');
  const dir = tempDir('opsdesk-dovecot-');
  const id = mailIdentity();
  const [imapPort, lmtpPort] = [await freePort(), await freePort()];
  const mail = path.join(dir, 'mail');
  const run = path.join(dir, 'run');
  mkdirSync(mail);
  mkdirSync(run);
  chmodSync(dir, 0o755);
  chownSync(mail, id.uid, id.gid);
  writeFileSync(path.join(dir, 'users'), users.map((u) => `${u}:{PLAIN}${MAIL_PASSWORD}:${id.uid}:${id.gid}::${mail}/${u}::`).join('\n') + '\n');
  const conf = `
protocols = imap lmtp
listen = 127.0.0.1
base_dir = ${run}
state_dir = ${path.join(dir, 'state')}
instance_name = opsdesk-test-${path.basename(dir)}
log_path = ${path.join(dir, 'dovecot.log')}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = ${Math.min(id.uid, 500)}
default_login_user = ${id.loginUser}
default_internal_user = ${id.internalUser}
mail_location = maildir:~/Maildir
mail_privileged_group =
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${path.join(dir, 'users')}
}
userdb {
  driver = passwd-file
  args = ${path.join(dir, 'users')}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
  unix_listener lmtp {
    mode = 0666
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
protocol lmtp {
  postmaster_address = postmaster@example.test
}
lmtp_save_to_detail_mailbox = no
${options.noIdle ? 'imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS MOVE NAMESPACE' : ''}
`;
  const confFile = path.join(dir, 'dovecot.conf');
  writeFileSync(confFile, conf);
  mkdirSync(path.join(dir, 'state'));
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitForPort(imapPort, () => `${stderr}\n${readLog(dir)}`);
  await waitForPort(lmtpPort, () => `${stderr}\n${readLog(dir)}`);
  const host = '127.0.0.1';

  const client = async (user: string) => {
    const c = new ImapFlow({ host, port: imapPort, secure: false, auth: { user, pass: MAIL_PASSWORD }, logger: false });
    await c.connect();
    return c;
  };
  return {
    host,
    imapPort,
    lmtpPort,
    dir,
    client,
    deliver: (to, raw, from = 'sender@example.org') => lmtpDeliver(lmtpPort, from, to, raw),
    async messages(user, folder = 'INBOX') {
      const c = await client(user);
      try {
        const lock = await c.getMailboxLock(folder);
        try {
          const out: { uid: number; flags: string[]; source: string }[] = [];
          const status = c.mailbox;
          if (status && status.exists === 0) return out;
          for await (const m of c.fetch('1:*', { uid: true, flags: true, source: true })) {
            out.push({ uid: m.uid, flags: [...(m.flags ?? [])], source: m.source?.toString('utf8') ?? '' });
          }
          return out;
        } finally {
          lock.release();
        }
      } finally {
        await c.logout();
      }
    },
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  const file = path.join(dir, 'dovecot.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

async function waitForPort(port: number, diagnostics: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port}: ${diagnostics()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A minimal LMTP client (RFC 2033): LHLO, MAIL, RCPT, DATA with dot-stuffing. */
export function lmtpDeliver(port: number, from: string, to: string, raw: string | Buffer): Promise<void> {
  const body = (Buffer.isBuffer(raw) ? raw.toString('latin1') : raw).replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  const steps = [`LHLO opsdesk.test`, `MAIL FROM:<${from}>`, `RCPT TO:<${to}>`, 'DATA', `${body}${body.endsWith('\r\n') ? '' : '\r\n'}.`, 'QUIT'];
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = '';
    let step = -1;
    socket.setEncoding('latin1');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\r\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (/^\d{3}-/.test(line)) continue;
        if (!/^[23]\d\d /.test(line)) {
          socket.destroy();
          reject(new Error(`LMTP refused at "${steps[step] ?? 'greeting'}": ${line}`));
          return;
        }
        step++;
        if (step < steps.length) socket.write(`${steps[step]}\r\n`, 'latin1');
        else {
          socket.end();
          resolve();
        }
      }
    });
  });
}

/** For a root run, Dovecot's own users must exist (the Debian package creates them). */
export function dovecotAvailable(): boolean {
  return existsSync(DOVECOT) && spawnSync(DOVECOT, ['--version']).status === 0;
}
