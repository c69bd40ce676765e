import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, MAIL_PASSWORD, type Dovecot } from '../../test-support/dovecot';
import { backendProcess } from '../../test-support/backend-process';
import { createUserAndLogin, startTestServer, tempDir } from '../../test-support/harness';
import { mail, MAIL_USERS, waitFor } from '../../test-support/mail-fixture';
import { freePort } from '../../test-support/postgres-cluster';
import { openDatabase } from '../platform/db/connect';

const backend = backendProcess;

describe('a backend killed between fetching a message and committing its ticket', () => {
  let dovecot: Dovecot;
  let dataDir: string;
  beforeAll(async () => {
    dovecot = await startDovecot(MAIL_USERS);
    dataDir = tempDir();
    // Set up the workspace in-process (no fetcher), then hand the data folder to real server processes.
    const setup = await startTestServer('sqlite', { env: { DATA_DIR: dataDir, MAIL_FETCHER: 'false', MONITORING_LOOPS: 'false', OPS_SCHEDULERS: 'false' } });
    const admin = await createUserAndLogin(setup, { email: 'crash-admin@example.com', password: 'a-long-test-password-1', role: 'admin' });
    const q = await setup.api<{ id: string }>('POST', '/api/v1/queues', { token: admin.accessToken, body: { name: 'Crash', memberIds: [] } });
    const box = await setup.api('PUT', `/api/v1/queues/${q.body.id}/mailbox`, {
      token: admin.accessToken,
      body: { address: 'support@example.test', imap: { host: dovecot.host, port: dovecot.imapPort, tls: false, user: 'support', password: MAIL_PASSWORD } },
    });
    expect(box.status).toBe(200);
    await setup.stop();
  }, 60_000);
  afterAll(() => dovecot?.stop());

  // Two backend start-ups and a 20 s ingest delay: generous for a loaded machine.
  it('the message becomes exactly one ticket after the restart', { timeout: 120_000 }, async () => {
    await dovecot.deliver('support', mail({ from: 'rita@example.test', subject: 'Survives a crash', messageId: 'crash@customer.example' }));
    const first = backend(dataDir, { PORT: String(await freePort()), MAIL_INGEST_DELAY_MS: '20000' });
    await waitFor(async () => first.lines.some((l) => l.includes('mail: fetched')), 30_000, 'the fetch');
    first.child.kill('SIGKILL');
    await first.exited;

    const db = openDatabase(`sqlite:${path.join(dataDir, 'opsdesk.db')}`);
    try {
      const count = async () => (await db.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('subject', '=', 'Survives a crash').executeTakeFirstOrThrow()).n;
      expect(Number(await count())).toBe(0);
      expect((await dovecot.messages('support'))[0]!.flags).not.toContain('\\Seen');

      const second = backend(dataDir, { PORT: String(await freePort()) });
      try {
        await waitFor(async () => second.lines.some((l) => l.includes('mail: committed')), 30_000, 'the commit after the restart');
        await waitFor(async () => (await dovecot.messages('support')).every((m) => m.flags.includes('\\Seen')), 15_000, 'the \\Seen flag');
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      // A third start finds nothing new: still exactly one.
      await dovecot.client('support').then(async (c) => {
        await c.mailboxOpen('INBOX');
        await c.messageFlagsRemove('1:*', ['\\Seen']);
        await c.logout();
      });
      const third = backend(dataDir, { PORT: String(await freePort()) });
      try {
        await waitFor(async () => third.lines.some((l) => l.includes('mail: committed') && l.includes('duplicate')), 30_000, 'the duplicate recognised');
      } finally {
        third.child.kill('SIGTERM');
        await third.exited;
      }
      expect(Number(await count())).toBe(1);
    } finally {
      await db.close();
    }
  });
});
