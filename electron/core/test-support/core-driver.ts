// A desktop core in its own process, for the crash tests: the test SIGKILLs it mid-way and restarts it.
// Usage: node --import tsx core-driver.ts <dir> <url> <cmd> [from] [to]
//   login   — sign in (EMAIL, PASSWORD from env) and run the initial sync
//   write   — offline writes number from..to-1 (one transaction each), printing "wrote <i>"
//   replay  — resume the session, sync and replay the outbox, printing "pending <n>" as it drains
//   dump    — print the cached tickets, comments and outbox as JSON
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PRIORITIES } from '../../../shared/ipc';
import { ApiClient } from '../api/api-client';
import { Cache } from '../cache/cache';
import { Outbox } from '../outbox/outbox';
import { systemClock } from '../ports';
import { EncryptedFileSecretStore, localKeyEncryptor } from '../secrets/encrypted-file-secret-store';
import { Session } from '../session/session';
import { SyncEngine } from '../sync/sync-engine';

const [dir, url, cmd, fromArg, toArg] = process.argv.slice(2) as [string, string, string, string?, string?];
const { cache } = Cache.open(path.join(dir, 'cache.db'));
const api = new ApiClient(url, { maxRetries: 1, backoffMs: 50, timeoutMs: 5000 });
const secrets = new EncryptedFileSecretStore(path.join(dir, 'secrets.bin'), localKeyEncryptor(path.join(dir, 'secrets.key')));
const userFile = path.join(dir, 'user.json');
const session = new Session('driver', api, secrets, {
  rememberUser: (user, email) => writeFileSync(userFile, JSON.stringify({ user, email })),
  lastUser: () => (existsSync(userFile) ? JSON.parse(readFileSync(userFile, 'utf8')) : { user: null, email: null }),
}, systemClock);
const outbox = new Outbox(cache, api, systemClock, () => session.owner);
const sync = new SyncEngine(cache, api, outbox, { pageSize: 200 });
const out = (line: string) => process.stdout.write(`${line}\n`);

/** The 100 mixed writes: replies, notes, field changes, tags, new tickets, alert acknowledgements. */
function write(i: number): void {
  const tickets = cache.tickets.list({}, { field: 'number', dir: 'asc' }, 0, 1000, null).items.filter((t) => t.number > 0 && !t.subject.startsWith('offline-'));
  const alerts = cache.alerts(undefined, undefined, 1000).sort((a, b) => a.id.localeCompare(b.id));
  const t = tickets[(i * 7) % tickets.length]!;
  const me = session.user;
  switch (i % 10) {
    case 0:
    case 1:
      outbox.comment(t.id, `offline-comment-${i}`, false, me);
      break;
    case 2:
    case 3:
      outbox.comment(t.id, `offline-note-${i}`, true, me);
      break;
    case 4:
      outbox.updateTickets([t.id], { priority: PRIORITIES[i % 4]! });
      break;
    case 5:
      outbox.updateTickets([t.id], { status: i % 20 < 10 ? 'open' : 'pending' });
      break;
    case 6:
    case 7:
      outbox.createTicket({ queueId: t.queueId!, subject: `offline-ticket-${i}`, description: `made offline #${i}`, priority: 'medium', requester: { name: 'Offline Olga', email: 'olga@example.com' }, tags: [], attachments: [] }, me);
      break;
    case 8:
      outbox.updateTickets([t.id], { tags: [...new Set([...t.tags, `t${i}`])] });
      break;
    case 9:
      outbox.alertAction(alerts[Math.floor(i / 10) % alerts.length]!.id, 'acknowledge', me);
      break;
  }
}

async function main(): Promise<void> {
  if (cmd === 'login') {
    await session.login(process.env.EMAIL!, process.env.PASSWORD!);
    await sync.run();
    out(JSON.stringify({ tickets: cache.tickets.count(), cursor: cache.syncCursor }));
  } else if (cmd === 'write') {
    await session.resume();
    for (let i = Number(fromArg); i < Number(toArg); i++) {
      write(i);
      out(`wrote ${i}`);
      // Give the test a chance to kill us between (never inside) transactions.
      await new Promise((r) => setTimeout(r, 5));
    }
  } else if (cmd === 'replay') {
    await session.resume();
    outbox.on('changed', (c: { pending: number }) => out(`pending ${c.pending}`));
    await sync.run();
    while (outbox.counts().pending > 0) {
      await outbox.replay();
      await sync.run();
    }
    out(JSON.stringify({ done: true, ...outbox.counts() }));
  } else if (cmd === 'dump') {
    const tickets = cache.tickets.allRows().map(({ id, number, subject, status, priority, assignee_id, tags, version, pending, conflict }) => ({ id, number, subject, status, priority, assignee_id, tags, version, pending, conflict }));
    const comments = cache.tickets.allComments().map(({ id, ticket_id, body, internal, pending }) => ({ id, ticket_id, body, internal, pending }));
    const alerts = cache.alerts(undefined, undefined, 1000).map((a) => ({ id: a.id, status: a.status }));
    out(JSON.stringify({ tickets, comments, alerts, outbox: outbox.list() }));
  }
  cache.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
