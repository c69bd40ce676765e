import nodemailer, { type Transporter } from 'nodemailer';

export interface SmtpSettings {
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_tls: number;
  smtp_auth: number;
  imap_user: string;
  password: string;
}

/** The queue's own SMTP server when it has one, else the server's SMTP_URL. */
export function smtpTransport(s: SmtpSettings, globalSmtpUrl: string | undefined): Transporter {
  if (s.smtp_host) {
    return nodemailer.createTransport({
      host: s.smtp_host,
      port: s.smtp_port ?? (s.smtp_tls ? 465 : 25),
      secure: s.smtp_tls === 1,
      auth: s.smtp_auth ? { user: s.imap_user, pass: s.password } : undefined,
      // One connection reused for a round's messages (closed at the end of the round).
      pool: true,
      maxConnections: 1,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
  }
  if (!globalSmtpUrl) throw new Error('No SMTP server: set one on the mailbox or SMTP_URL on the server');
  return nodemailer.createTransport(globalSmtpUrl);
}
