import { ImapFlow } from 'imapflow';

export interface ImapSettings {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password: string;
}

/** An imapflow client with OpsDesk's defaults: no logging of mail, certificates checked. */
export function openImap(s: ImapSettings, options: { connectionTimeout?: number } = {}): ImapFlow {
  // imapflow enters IDLE after this much inactivity (15 s by default): new mail should show at once.
  const untyped = { autoIdleDelay: 1000 } as object;
  return new ImapFlow({
    ...untyped,
    host: s.host,
    port: s.port,
    secure: s.tls,
    // Plain connections upgrade when the server offers STARTTLS; loopback test servers offer none.
    doSTARTTLS: s.tls ? undefined : false,
    auth: { user: s.user, pass: s.password },
    logger: false,
    connectionTimeout: options.connectionTimeout ?? 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
  });
}
