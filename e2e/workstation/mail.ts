import { expect } from 'vitest';
import { startDovecot, MAIL_PASSWORD, type Dovecot } from '../../backend/test-support/dovecot';
import { mail, MAIL_USERS } from '../../backend/test-support/mail-fixture';
import { startSmtpRelay, type SmtpRelay } from '../../backend/test-support/smtp-relay';
import { screenshots, until } from '../support';
import type { Session } from './session';

const header = (raw: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? null;

let mailServers: { dovecot: Dovecot; relay: SmtpRelay } | null = null;
export async function closeMailServers(): Promise<void> {
  await mailServers?.relay.close();
  await mailServers?.dovecot.stop();
}

/**
 * The helpdesk email loop through the UI: the admin sets up a queue's mailbox (Dovecot, tested),
 * a customer's email becomes a ticket live in the queue, the agent creates another from the form,
 * answers the emailed one (its delivery shows sent; the requester's Dovecot mailbox receives it
 * with threading headers), adds an internal note (never mailed), and the requester's answer comes
 * back as a comment that reopens the resolved ticket.
 */
export async function emailLoop({ page, backend, admin, go }: Session): Promise<void> {
  const dovecot = await startDovecot(MAIL_USERS);
  const relay = await startSmtpRelay(dovecot);
  mailServers = { dovecot, relay };
  const queues = (await backend.api('GET', '/api/v1/queues', undefined, admin.token)).body as { id: string; name: string }[];
  const queue = queues[0]!;

  // Admin → Mailboxes: configure, test the connection, save.
  await go('Admin');
  await page.getByRole('tab', { name: 'Mailboxes' }).click();
  await page.getByRole('row').filter({ hasText: queue.name }).getByRole('button', { name: /Set up mailbox|Configure/ }).click();
  const dlg = page.getByRole('dialog', { name: `Mailbox of ${queue.name}` });
  await dlg.getByLabel('Queue address').fill('support@example.test');
  await dlg.getByLabel('Sender name').fill('Example Support');
  await dlg.getByLabel('Host', { exact: true }).fill(dovecot.host);
  await dlg.getByLabel('Port').first().fill(String(dovecot.imapPort));
  await dlg.getByLabel('TLS').first().uncheck();
  await dlg.getByLabel('User', { exact: true }).fill('support');
  await dlg.getByLabel('Password').fill(MAIL_PASSWORD);
  await dlg.getByLabel('SMTP host').fill(relay.host);
  await dlg.getByLabel('Port').nth(1).fill(String(relay.port));
  await dlg.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => dlg.getByTestId('mailbox-test').textContent(), { timeout: 20_000 }).toContain('IDLE offered');
  expect(await dlg.getByTestId('mailbox-test').textContent()).not.toContain('✗');
  await screenshots(page, '40-mailbox-settings');
  await dlg.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.getByRole('row').filter({ hasText: queue.name }).textContent(), { timeout: 20_000 }).toContain('IMAP IDLE');

  // A customer writes in: the ticket appears live in the queue.
  await go('Queues');
  await page.getByRole('navigation', { name: 'Saved views' }).getByRole('button', { name: queue.name, exact: true }).click();
  await dovecot.deliver('support', mail({ from: 'Rita Requester <rita@example.test>', subject: 'Laptop will not charge', messageId: 'e2e-first@customer.example', body: 'The charger light stays off since this morning.' }));
  const row = page.locator('.grid-row').filter({ hasText: 'Laptop will not charge' });
  await row.waitFor({ timeout: 30_000 });
  const emailed = Number(await row.getAttribute('data-number'));

  // The agent creates a ticket from the form (c), with requester completion.
  await page.getByTestId('ticket-list').focus();
  await page.keyboard.press('c');
  const form = page.getByRole('dialog', { name: 'New ticket' });
  await form.getByRole('combobox', { name: 'Queue' }).selectOption(queue.id);
  await form.getByLabel('Requester email').fill('rita@example.test');
  await expect.poll(() => form.getByTestId('requester-suggestions').locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  await form.getByLabel('Requester name').fill('Rita Requester');
  await form.getByLabel('Subject').fill('Order a spare charger');
  await form.getByLabel('Description').fill('Rita needs a spare USB-C charger for travel.');
  await form.getByRole('combobox', { name: 'Priority' }).selectOption('high');
  await form.getByLabel('Tags').fill('hardware, laptop');
  await screenshots(page, '41-new-ticket-form');
  await form.getByRole('button', { name: 'Create ticket' }).click();
  // Written to the outbox: the row is there at once, and gets its number when it syncs.
  const formRow = page.locator('.grid-row').filter({ hasText: 'Order a spare charger' });
  await formRow.waitFor({ timeout: 10_000 });
  await expect.poll(async () => Number(await formRow.getAttribute('data-number')), { timeout: 20_000 }).toBeGreaterThan(0);
  const created = await until(async () => {
    const list = await backend.api('GET', `/api/v1/tickets?queue=${queue.id}&q=spare%20charger`, undefined, admin.token);
    return list.body.items?.find((t: { subject: string }) => t.subject === 'Order a spare charger');
  }, 20_000, 'the form ticket on the server');
  expect(created).toMatchObject({ priority: 'high', requester: { email: 'rita@example.test' }, tags: ['hardware', 'laptop'] });

  // The agent answers the emailed ticket and adds an internal note.
  await page.goto(`${page.url().split('#')[0]}#/ticket/${emailed}`);
  await page.getByRole('heading', { name: new RegExp(`#${emailed}`) }).waitFor();
  await page.getByPlaceholder('Reply to the requester…').fill('Please try another outlet; we are sending a replacement charger.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.getByLabel('Internal note').check();
  await page.getByPlaceholder(/Internal note/).fill('SECRET-NOTE: warranty expired last month.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.getByTestId('internal-note').filter({ hasText: 'SECRET-NOTE' }).waitFor();
  await page.locator('[data-testid="delivery"][data-state="sent"]').waitFor({ timeout: 30_000 });
  await screenshots(page, '42-ticket-delivery-states');

  // The requester's mailbox on Dovecot, read back over IMAP.
  const inbox = await until(async () => {
    const m = await dovecot.messages('rita');
    return m.length ? m : null;
  }, 20_000, "the reply in rita's mailbox");
  expect(inbox).toHaveLength(1);
  const raw = inbox[0]!.source;
  expect(header(raw, 'Subject')).toBe(`Re: [#${emailed}] Laptop will not charge`);
  expect(header(raw, 'In-Reply-To')).toBe('<e2e-first@customer.example>');
  expect(header(raw, 'References')).toContain('<e2e-first@customer.example>');
  const sentId = header(raw, 'Message-ID')!;
  expect(raw).toContain('replacement charger');
  expect(raw).not.toContain('SECRET-NOTE');

  // Resolve; the requester answers the reply and the same ticket reopens with her comment.
  await page.getByRole('button', { name: 'Resolve' }).click();
  await until(async () => (await backend.api('GET', `/api/v1/tickets?queue=${queue.id}&status=resolved&q=charge`, undefined, admin.token)).body.items?.some((t: { number: number }) => t.number === emailed), 20_000, 'the ticket resolved on the server');
  await dovecot.deliver('support', mail({ from: 'Rita Requester <rita@example.test>', subject: `Re: [#${emailed}] Laptop will not charge`, messageId: 'e2e-answer@customer.example', inReplyTo: sentId.slice(1, -1), references: `<e2e-first@customer.example> ${sentId}`, body: 'Another outlet did not help either.' }));
  await page.getByTestId('public-reply').filter({ hasText: 'Another outlet did not help' }).waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByRole('complementary', { name: 'Ticket properties' }).getByLabel(/^Status/).inputValue(), { timeout: 20_000 }).toBe('open');
  await screenshots(page, '43-ticket-reopened-by-email');
  // Nothing else ever left for rita: one reply, no note.
  const after = await dovecot.messages('rita');
  expect(after).toHaveLength(1);
  expect(relay.accepted.some((m) => m.raw.includes('SECRET-NOTE'))).toBe(false);

  // A reply the SMTP server refuses shows its answer; Retry now sends it once.
  relay.failNext(1, 550, '5.2.1 Mailbox temporarily disabled');
  await page.getByLabel('Public reply').check();
  await page.getByPlaceholder('Reply to the requester…').fill('We will call you this afternoon.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  const failed = page.locator('[data-testid="delivery"][data-state="failed"]');
  await failed.waitFor({ timeout: 30_000 });
  expect(await failed.textContent()).toContain('Mailbox temporarily disabled');
  await screenshots(page, '44-ticket-delivery-failed');
  await failed.getByRole('button', { name: 'Retry now' }).click();
  await expect.poll(async () => (await page.locator('[data-testid="delivery"][data-state="sent"]').count()), { timeout: 30_000 }).toBe(2);
  const final = await until(async () => {
    const m = await dovecot.messages('rita');
    return m.length === 2 ? m : null;
  }, 20_000, 'the retried reply');
  expect(final.filter((m) => m.source.includes('call you this afternoon'))).toHaveLength(1);
}
