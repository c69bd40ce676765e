import type { SmtpStatus } from '../../../shared/api/alerts';
import type { EmailSender } from './senders';

/** SMTP_URL's host and port (never its user or password), and whether the server answers now. */
export async function smtpStatus(smtpUrl: string | undefined, from: string, sender: EmailSender | null): Promise<SmtpStatus> {
  if (!smtpUrl || !sender) return { configured: false, server: null, from: null, ok: false, error: 'SMTP_URL is not set: email notifications and verification codes cannot go out' };
  const url = new URL(smtpUrl);
  const server = `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'smtps:' ? '465' : '587')}`;
  try {
    await sender.verify();
    return { configured: true, server, from, ok: true, error: null };
  } catch (err) {
    return { configured: true, server, from, ok: false, error: (err as Error).message || String(err) };
  }
}
