import type { ChannelType } from '../../../shared/api/alerts';
import type { Database } from '../platform/db/schema';
import type { VerifiedTargets } from './contact-methods';
import type { Recipient } from './notifier';
import { pageTargets } from './targets';
import type { Message, Sender } from './senders';

type ChannelRow = Database['notification_channels'];
/** One channel's outcome of a test send: the receiver's HTTP status for webhooks, a short reason on failure. */
export type TestResult = { channel: ChannelType; target: string; ok: boolean; status: number | null; error: string | null };

/** `test-alerts` and Admin's test send: one test message through every configured channel, awaited, with each result. */
export async function sendTestMessage(channelRows: ChannelRow[], senderFor: (c: ChannelRow) => Sender | null, recipients: Recipient[], verified: Map<string, VerifiedTargets>, options: { desktop: boolean }): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const push = (channel: string, target: string, ok: boolean, error: string | null, status: number | null = null) => void results.push({ channel: channel as ChannelType, target, ok, status, error });
  const message: Message = { subject: '[TEST] OpsDesk test alert', text: 'This is a test notification from OpsDesk (npm run cli -- test-alerts).', severity: 'low', alertId: null };
  const jobs: Promise<void>[] = [];
  for (const c of channelRows) {
    const sender = senderFor(c);
    if (!sender) {
      push(c.type, '-', false, 'not configured');
      continue;
    }
    if (c.type === 'desktop' && !options.desktop) {
      push('desktop', '-', false, 'skipped: popups go out from the running server (POST /api/v1/channels/test)');
      continue;
    }
    const targets = c.type === 'slack' ? ['slack'] : [...new Set(recipients.flatMap((r) => pageTargets(c.type, r, verified)))];
    if (!targets.length) push(c.type, '-', false, c.type === 'sms' ? 'no verified phone number (Settings → Notifications → Contact methods)' : 'no recipients (no on-call or admin users)');
    for (const t of targets) {
      jobs.push(
        sender.send(t, message).then(
          (r) => push(c.type, t, true, null, r?.status ?? null),
          (err: unknown) => push(c.type, t, false, (err as Error).message, (err as { status?: number | null }).status ?? null),
        ),
      );
    }
  }
  await Promise.all(jobs);
  return results;
}
