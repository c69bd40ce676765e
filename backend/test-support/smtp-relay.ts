import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Dovecot } from './dovecot';

export interface RelayedMail {
  from: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server (smtp-server, in-process) that hands every accepted message to Dovecot over
 * LMTP, addressed by the local part (rita@example.test → Dovecot user rita): what OpsDesk sends can
 * be read back from the recipient's mailbox over IMAP. `failNext(code, text)` answers the next
 * messages with that SMTP error instead.
 */
export interface SmtpRelay {
  host: string;
  port: number;
  accepted: RelayedMail[];
  failNext(count: number, code: number, text: string): void;
  close(): Promise<void>;
}

export async function startSmtpRelay(dovecot: Dovecot): Promise<SmtpRelay> {
  const accepted: RelayedMail[] = [];
  let failures: { count: number; code: number; text: string } | null = null;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures && failures.count > 0) {
          failures.count--;
          callback(Object.assign(new Error(failures.text), { responseCode: failures.code }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        Promise.all(to.map((addr) => dovecot.deliver(addr.split('@')[0]!, raw, from)))
          .then(() => {
            accepted.push({ from, to, raw });
            callback();
          })
          .catch((err: Error) => callback(Object.assign(new Error(`relay to Dovecot failed: ${err.message}`), { responseCode: 451 })));
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    accepted,
    failNext: (count, code, text) => (failures = { count, code, text }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
