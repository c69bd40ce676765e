// The helpdesk loop end to end (issue 13): a real backend with its mail fetcher, Debian's Dovecot
// (IMAP + LMTP) and an SMTP relay into it, the browser host and Chromium. An email with files
// becomes a ticket live; the agent answers it with a canned reply and a file; the requester's
// mailbox receives it threaded, with the file; an HTML answer reopens the ticket and is shown
// sanitized in a sandboxed frame; an internal note never leaves.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_PASSWORD, startDovecot, type Dovecot } from '../backend/test-support/dovecot';
import { MAIL_USERS } from '../backend/test-support/mail-fixture';
import { startSmtpRelay, type SmtpRelay } from '../backend/test-support/smtp-relay';
import { connectAndSignIn, createUser, openJourney, screenshots, startBackend, tempDir, until, type Backend, type Host, type Journey } from './support';

const AGENT = { email: 'ana@example.com', password: 'meadow-copper-violin-58', name: 'Ana Agent', role: 'admin' as const };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const header = (raw: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? null;
const composed = (o: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(o).compile().build();

let backend: Backend;
let host: Host;
let session: Journey;
let page: Page;
let dovecot: Dovecot;
let relay: SmtpRelay;
let agent: { id: string; token: string };
let queue: { id: string; name: string };

beforeAll(async () => {
  dovecot = await startDovecot(MAIL_USERS);
  relay = await startSmtpRelay(dovecot);
  backend = await startBackend({ MAIL_POLL_SECONDS: '5', MAIL_RECONNECT_SECONDS: '1' });
  agent = await createUser(backend, AGENT);
  queue = (await backend.api('POST', '/api/v1/queues', { name: 'Support', memberIds: [agent.id] }, agent.token)).body;
  const box = await backend.api('PUT', `/api/v1/queues/${queue.id}/mailbox`, {
    address: 'support@example.test', displayName: 'Example Support',
    imap: { host: dovecot.host, port: dovecot.imapPort, tls: false, user: 'support', password: MAIL_PASSWORD, folder: 'INBOX' },
    smtp: { host: relay.host, port: relay.port, tls: false, auth: false },
  }, agent.token);
  expect(box.status).toBe(200);
  const canned = await backend.api('POST', '/api/v1/canned-replies', { name: 'Charger replacement', body: 'Hello {{requester.name}},\n\nwe are sending a replacement charger for ticket #{{ticket.number}}; the shipping label is attached.\n\n{{agent.name}}', shared: true }, agent.token);
  expect(canned.status).toBe(201);
  await backend.api('POST', '/api/v1/canned-replies', { name: 'Closing note', body: 'Closing #{{ticket.number}} — write back any time.', shared: true }, agent.token);
  session = await openJourney();
  ({ host, page } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
  await backend?.stop().catch((err: unknown) => console.error('backend stop failed:', err));
  await relay?.close();
  await dovecot?.stop();
});

describe('helpdesk loop', () => {
  it('email with files → live ticket → canned reply with a file reaches the requester threaded → HTML answer reopens it; notes never leave', async () => {
    try {
      await journey();
    } catch (e) {
      await page.screenshot({ path: 'test-output/failure-helpdesk-loop.png' }).catch((err: unknown) => console.error('failure screenshot:', err));
      throw e;
    }
  }, 240_000);
});

async function journey(): Promise<void> {
  {
    await connectAndSignIn(page, host.host.openUrl, backend.url, AGENT);

    // The customer writes in with a photo and a log: the ticket appears live, files listed.
    await dovecot.deliver('support', await composed({
      from: 'Rita Requester <rita@example.test>', to: 'support@example.test', subject: 'Laptop will not charge', messageId: '<loop-first@customer.example>',
      text: 'The charger light stays off since this morning. Photo and log attached.',
      attachments: [{ filename: 'charger.png', content: PNG, contentType: 'image/png' }, { filename: 'battery.log', content: 'cycle=812 health=41%\n', contentType: 'text/plain' }],
    }));
    const row = page.locator('.grid-row').filter({ hasText: 'Laptop will not charge' });
    await row.waitFor({ timeout: 30_000 });
    const number = Number(await row.getAttribute('data-number'));
    await row.dblclick();
    await page.getByRole('heading', { name: new RegExp(`#${number}`) }).waitFor();
    const files = page.getByTestId('attachment');
    await expect.poll(() => files.count(), { timeout: 20_000 }).toBe(2);
    expect(await files.first().textContent()).toContain('image/png');

    // Saving fetches the content on demand, into the app's downloads folder.
    await files.first().getByRole('button', { name: 'Save charger.png' }).click();
    const toast = page.getByText(/Saved charger\.png to /);
    await toast.waitFor();
    const savedPath = (await toast.textContent())!.replace(/^.*Saved charger\.png to /, '').trim();
    expect(existsSync(savedPath) && readFileSync(savedPath).equals(PNG)).toBe(true);

    // The agent answers with a canned reply (picked by keyboard) and a file.
    await page.getByRole('button', { name: 'Canned reply…' }).click();
    const picker = page.getByRole('dialog', { name: 'Insert a canned reply' });
    const search = picker.getByPlaceholder('Search canned replies…');
    await expect.poll(() => picker.getByRole('option').count()).toBe(2);
    await search.fill('charger');
    await expect.poll(() => picker.getByRole('option').count()).toBe(1);
    await screenshots(page, '50-canned-reply-picker');
    await search.press('Enter');
    const box = page.getByPlaceholder('Reply to the requester…');
    await expect.poll(() => box.inputValue()).toContain('Hello Rita Requester,');
    expect(await box.inputValue()).toContain(`ticket #${number}`);
    const label = tempDir('opsdesk-e2e-upload-') + '/shipping-label.txt';
    writeFileSync(label, 'SHIP TO: Rita Requester, Example Street 1\n');
    await page.locator('#composer-files').setInputFiles(label);
    await page.getByTestId('picked-file').filter({ hasText: 'shipping-label.txt' }).waitFor();
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByLabel('Internal note').check();
    await page.getByPlaceholder(/Internal note/).fill('SECRET-NOTE: warranty expired last month.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('[data-testid="delivery"][data-state="sent"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('public-reply').filter({ hasText: 'replacement charger' }).getByTestId('attachment').waitFor();
    await screenshots(page, '51-ticket-attachments-delivery');

    // The requester's mailbox on Dovecot, read over IMAP: threaded, the canned text filled, the file attached.
    const inbox = await until(async () => ((await dovecot.messages('rita')).length ? dovecot.messages('rita') : null), 20_000, "the reply in rita's mailbox");
    expect(inbox).toHaveLength(1);
    const raw = inbox[0]!.source;
    expect(header(raw, 'Subject')).toBe(`Re: [#${number}] Laptop will not charge`);
    expect(header(raw, 'In-Reply-To')).toBe('<loop-first@customer.example>');
    expect(header(raw, 'References')).toContain('<loop-first@customer.example>');
    const parsed = await simpleParser(raw);
    expect(parsed.text).toContain('Hello Rita Requester,');
    expect(parsed.text).toContain('Ana Agent');
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual([['shipping-label.txt', 'SHIP TO: Rita Requester, Example Street 1\n']]);
    expect(raw).not.toContain('SECRET-NOTE');
    const sentId = header(raw, 'Message-ID')!;

    // Resolve; the requester answers in HTML (with a script): the same ticket reopens, shown sanitized.
    await page.getByRole('button', { name: 'Resolve' }).click();
    await until(async () => (await backend.api('GET', `/api/v1/tickets?queue=${queue.id}&status=resolved`, undefined, agent.token)).body.items?.some((t: { number: number }) => t.number === number), 20_000, 'resolved on the server');
    await dovecot.deliver('support', await composed({
      from: 'Rita Requester <rita@example.test>', to: 'support@example.test', subject: `Re: [#${number}] Laptop will not charge`, messageId: '<loop-answer@customer.example>', inReplyTo: sentId, references: ['<loop-first@customer.example>', sentId],
      text: 'Thanks! The new charger works.',
      html: '<p><b>Thanks!</b> The new charger <i>works</i>.</p><script>document.title="pwned"</script><img src="https://tracker.example/p.gif" onerror="document.title=\'pwned\'">',
    }));
    const answer = page.getByTestId('public-reply').filter({ hasText: 'The new charger works' });
    await answer.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByRole('complementary', { name: 'Ticket properties' }).getByLabel(/^Status/).inputValue(), { timeout: 20_000 }).toBe('open');
    await answer.getByRole('button', { name: 'Show as HTML' }).click();
    // The frame runs no script at all (sandbox without allow-scripts), so its document is read from srcdoc.
    const frame = page.getByTestId('public-reply').locator('iframe[title="Email as HTML"]');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const doc = (await frame.getAttribute('srcdoc'))!;
    expect(doc).toContain('<b>Thanks!</b>');
    expect(doc).not.toMatch(/<script|onerror|tracker\.example|<img/i);
    expect(await page.title()).not.toBe('pwned');
    await screenshots(page, '52-html-mail-sanitized');
    // Nothing else left for rita; the note never did.
    expect(await dovecot.messages('rita')).toHaveLength(1);
    expect(relay.accepted.some((m) => m.raw.includes('SECRET-NOTE'))).toBe(false);

    // A new ticket from the form (c) with a file.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queues' }).first().click();
    await page.getByTestId('ticket-list').focus();
    await page.keyboard.press('c');
    const form = page.getByRole('dialog', { name: 'New ticket' });
    await form.getByRole('combobox', { name: 'Queue' }).selectOption(queue.id);
    await form.getByLabel('Requester email').fill('bob@example.test');
    await form.getByLabel('Requester name').fill('Bob Builder');
    await form.getByLabel('Subject').fill('Docking station flickers');
    await form.getByLabel('Description').fill('Screen flickers when docked; photo attached.');
    await form.locator('#new-ticket-files').setInputFiles({ name: 'dock.png', mimeType: 'image/png', buffer: PNG });
    await form.getByTestId('picked-file').filter({ hasText: 'dock.png' }).waitFor();
    await screenshots(page, '53-new-ticket-form-attachment');
    await form.getByRole('button', { name: 'Create ticket' }).click();
    const created = await until(async () => (await backend.api('GET', `/api/v1/tickets?queue=${queue.id}&q=docking`, undefined, agent.token)).body.items?.find((t: { subject: string }) => t.subject === 'Docking station flickers'), 20_000, 'the form ticket');
    expect(created.attachments).toMatchObject([{ filename: 'dock.png', contentType: 'image/png', size: PNG.length }]);
  }
}
