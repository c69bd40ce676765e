import { useEffect, useState } from 'react';
import type { Mailbox, MailboxTestResult, PutMailboxRequest } from '../../../../shared/api/mail';
import { call } from '../../api';
import { DataTable, type Column } from '../../ui/DataTable';
import { ConfirmDestructive, Dialog } from '../../ui/Dialog';
import { ErrorBox, StateView } from '../../ui/feedback';
import { Checkbox, TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';
import { create } from 'zustand';
import { loadQueues, useAdmin } from './slice';

const useMailboxes = create<{ list: Loadable<Mailbox[]> }>(() => ({ list: notLoaded() }));
const loadMailboxes = (opts = { fresh: false }) => loadInto(useMailboxes, 'list', () => call('api.mailboxes.list'), opts);

const STATUS_BADGE: Record<Mailbox['status'], string> = { stopped: '', connecting: 'info', idle: 'ok', polling: 'ok', error: 'bad' };

/** Each queue's mailbox: where customers write (IMAP in) and replies leave from (SMTP out). */
export function MailboxesTab() {
  const queues = useAdmin((s) => s.queues);
  const mailboxes = useMailboxes((s) => s.list);
  const [editing, setEditing] = useState<{ queueId: string; name: string } | null>(null);
  useEffect(() => {
    void loadQueues();
    void loadMailboxes({ fresh: true });
    const t = setInterval(() => void loadMailboxes(), 5000);
    return () => clearInterval(t);
  }, []);
  const byQueue = new Map((mailboxes.data ?? []).map((m) => [m.queueId, m]));
  const columns: Column<{ id: string; name: string }>[] = [
    { id: 'queue', header: 'Queue', cell: (q) => <strong>{q.name}</strong> },
    { id: 'address', header: 'Address', cell: (q) => byQueue.get(q.id)?.address ?? <span className="muted">No mailbox</span> },
    {
      id: 'status',
      header: 'Fetching',
      cell: (q) => {
        const m = byQueue.get(q.id);
        if (!m) return null;
        return (
          <>
            <span className={`badge ${STATUS_BADGE[m.status]}`}>{m.enabled ? (m.mode === 'idle' ? 'IMAP IDLE' : m.mode === 'poll' ? 'Polling' : m.status) : 'Disabled'}</span>
            {m.lastError && <div className="sev-high small">{m.lastError}</div>}
          </>
        );
      },
    },
    { id: 'edit', header: '', cell: (q) => <button className="small" onClick={() => setEditing({ queueId: q.id, name: q.name })}>{byQueue.has(q.id) ? 'Configure' : 'Set up mailbox'}</button> },
  ];
  return (
    <>
      <p className="muted">Mail to a queue&apos;s address becomes tickets; public replies leave from it. Passwords are stored sealed and never shown again.</p>
      <StateView res={queues} retry={() => void loadQueues({ fresh: false })} empty="No queues yet: create one under Queues.">
        {(list) => <DataTable columns={columns} rows={list} rowKey={(q) => q.id} />}
      </StateView>
      {editing && <MailboxDialog queueId={editing.queueId} queueName={editing.name} current={byQueue.get(editing.queueId) ?? null} onClose={() => (setEditing(null), void loadMailboxes())} />}
    </>
  );
}

function MailboxDialog({ queueId, queueName, current, onClose }: { queueId: string; queueName: string; current: Mailbox | null; onClose: () => void }) {
  const [f, setF] = useState({
    address: current?.address ?? '',
    displayName: current?.displayName ?? '',
    host: current?.imap.host ?? '',
    port: String(current?.imap.port ?? 993),
    tls: current?.imap.tls ?? true,
    user: current?.imap.user ?? '',
    password: '',
    folder: current?.imap.folder ?? 'INBOX',
    smtpHost: current?.smtp.host ?? '',
    smtpPort: current?.smtp.port ? String(current.smtp.port) : '',
    smtpTls: current?.smtp.tls ?? false,
    smtpAuth: current?.smtp.auth ?? false,
    enabled: current?.enabled ?? true,
    ack: current?.acknowledgement.enabled ?? false,
    ackTemplate: current?.acknowledgement.template || 'Hello {{requester.name}},\n\nwe received your message and opened ticket {{ticket.number}}. We will get back to you soon.\n\n{{queue.name}}',
  });
  const [test, setTest] = useState<MailboxTestResult | null>(null);
  const [removing, setRemoving] = useState(false);
  const a = useAction();
  const set = <K extends keyof typeof f>(k: K) => (v: (typeof f)[K]) => setF((s) => ({ ...s, [k]: v }));
  const body = (): PutMailboxRequest => ({
    address: f.address,
    displayName: f.displayName,
    imap: { host: f.host, port: Number(f.port), tls: f.tls, user: f.user, folder: f.folder, processedFolder: null, ...(f.password ? { password: f.password } : {}) },
    smtp: { host: f.smtpHost || null, port: f.smtpPort ? Number(f.smtpPort) : null, tls: f.smtpTls, auth: f.smtpAuth },
    enabled: f.enabled,
    acknowledgement: { enabled: f.ack, template: f.ackTemplate },
    maxMessageBytes: current?.maxMessageBytes ?? 10 * 1024 * 1024,
  });
  return (
    <Dialog title={`Mailbox of ${queueName}`} onClose={onClose}>
      <form
        className="form mailbox-form"
        onSubmit={(e) => {
          e.preventDefault();
          void a.run(async () => {
            await call('api.mailboxes.put', { params: { id: queueId }, body: body() });
            toast('Mailbox saved; fetching starts now', 'ok');
            onClose();
          });
        }}
      >
        <div className="row">
          <TextField label="Queue address" type="email" required value={f.address} onChange={set('address')} placeholder="support@example.com" />
          <TextField label="Sender name" value={f.displayName} onChange={set('displayName')} placeholder="Example Support" />
        </div>
        <fieldset>
          <legend>Incoming (IMAP)</legend>
          <div className="row">
            <TextField label="Host" required value={f.host} onChange={set('host')} />
            <TextField label="Port" required inputMode="numeric" value={f.port} onChange={set('port')} style={{ width: 80 }} />
            <Checkbox checked={f.tls} onChange={set('tls')}>
              TLS
            </Checkbox>
          </div>
          <div className="row">
            <TextField label="User" required value={f.user} onChange={set('user')} autoComplete="off" />
            <TextField label="Password" type="password" required={!current} value={f.password} onChange={set('password')} autoComplete="new-password" hint={current?.imap.passwordSet ? 'Stored; leave empty to keep it' : undefined} />
            <TextField label="Folder" required value={f.folder} onChange={set('folder')} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Outgoing (SMTP; empty host: the server&apos;s SMTP_URL)</legend>
          <div className="row">
            <TextField label="SMTP host" value={f.smtpHost} onChange={set('smtpHost')} />
            <TextField label="Port" inputMode="numeric" value={f.smtpPort} onChange={set('smtpPort')} style={{ width: 80 }} />
            <Checkbox checked={f.smtpTls} onChange={set('smtpTls')}>
              TLS
            </Checkbox>
            <Checkbox checked={f.smtpAuth} onChange={set('smtpAuth')}>
              Log in with the IMAP user
            </Checkbox>
          </div>
        </fieldset>
        <Checkbox checked={f.enabled} onChange={set('enabled')}>
          Fetch mail for this queue
        </Checkbox>
        <Checkbox checked={f.ack} onChange={set('ack')}>
          Acknowledge new tickets by email (never to auto-replies)
        </Checkbox>
        {f.ack && (
          <label>
            Acknowledgement ({'{{requester.name}}, {{ticket.number}}, {{ticket.subject}}, {{queue.name}}'})
            <textarea rows={4} value={f.ackTemplate} onChange={(e) => set('ackTemplate')(e.target.value)} />
          </label>
        )}
        {test && (
          <ul className="test-steps" aria-label="Connection test" data-testid="mailbox-test">
            {test.steps.map((s, i) => (
              <li key={i} className={s.ok ? 'ok' : 'sev-high'}>
                {s.ok ? '✓' : '✗'} {s.step}: {s.message}
              </li>
            ))}
          </ul>
        )}
        <ErrorBox error={a.error} />
        <div className="row end">
          {current && (
            <button type="button" className="danger" onClick={() => setRemoving(true)}>
              Remove mailbox
            </button>
          )}
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" disabled={a.busy} onClick={() => void a.run(async () => setTest(await call('api.mailboxes.test', { params: { id: queueId }, body: body() })))}>
            Test connection
          </button>
          <button className="primary" disabled={a.busy}>
            Save
          </button>
        </div>
      </form>
      {removing && (
        <ConfirmDestructive
          title="Remove the mailbox"
          target={f.address || queueName}
          description={`Mail to ${f.address} stops becoming tickets and replies stop being emailed. Tickets stay.`}
          action="Remove mailbox"
          onConfirm={async () => {
            await call('api.mailboxes.remove', { params: { id: queueId } });
            toast('Mailbox removed', 'ok');
            onClose();
          }}
          onClose={() => setRemoving(false)}
        />
      )}
    </Dialog>
  );
}
