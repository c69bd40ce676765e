import { useCallback, useEffect, useState } from 'react';
import type { ContactMethod, NotificationPreference } from '../../../../shared/api/alerts';
import { SEVERITIES } from '../../../../shared/domain/alerts';
import { call } from '../../api';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { ErrorBox } from '../../ui/feedback';
import { RowForm } from '../../ui/form';
import { useAction, type Action } from '../../ui/hooks';
import { toast } from '../../ui/toasts';

const CHANNEL_LABEL: Record<string, string> = { desktop: 'Desktop popup', email: 'Email', sms: 'SMS' };

function VerifyForm({ method, a, reload }: { method: ContactMethod; a: Action; reload: () => Promise<unknown> }) {
  const [code, setCode] = useState('');
  return (
    <RowForm onSubmit={() => void a.run(async () => (await call('api.contacts.verify', { params: { id: method.id }, body: { code } }), setCode(''), toast(`${method.address} verified`, 'ok'), await reload()))}>
      <label className="inline">
        <span className="sr-only">Code sent to {method.address}</span>
        <input inputMode="numeric" pattern="[0-9]{6}" maxLength={6} required placeholder="6-digit code" value={code} onChange={(e) => setCode(e.target.value)} style={{ width: 110 }} />
      </label>
      <button className="small primary">Verify</button>
      <button type="button" className="small" onClick={() => void a.run(async () => (await call('api.contacts.resend', { params: { id: method.id } }), toast(`A new code went to ${method.address}`, 'ok'), await reload()))}>
        Send a new code
      </button>
    </RowForm>
  );
}

/** The person's email addresses and phone numbers: each verified by a code sent to it; only verified ones are paged. */
function ContactMethods() {
  const [methods, setMethods] = useState<ContactMethod[] | null>(null);
  const [kind, setKind] = useState<'email' | 'phone'>('email');
  const [address, setAddress] = useState('');
  const [removing, setRemoving] = useState<ContactMethod | null>(null);
  const a = useAction();
  const { run } = a;
  const reload = useCallback(async () => setMethods(await call('api.contacts.list')), []);
  useEffect(() => void run(reload), [run, reload]);
  const columns: Column<ContactMethod>[] = [
    { id: 'kind', header: 'Kind', cell: (m) => (m.kind === 'phone' ? 'Phone (SMS)' : 'Email') },
    { id: 'address', header: 'Address', cell: (m) => <span className="mono">{m.address}</span> },
    { id: 'status', header: 'Status', cell: (m) => (m.account ? <span className="badge ok">sign-in address</span> : m.verified ? <span className="badge ok">verified</span> : <span className="badge warn">not verified: never paged</span>) },
    {
      id: 'actions',
      header: 'Actions',
      cell: (m) =>
        m.account ? null : (
          <div className="row">
            {!m.verified && <VerifyForm method={m} a={a} reload={reload} />}
            <button className="small danger" onClick={() => setRemoving(m)} aria-label={`Remove ${m.address}`}>
              Remove
            </button>
          </div>
        ),
    },
  ];
  return (
    <>
      <h3>Contact methods</h3>
      <ErrorBox error={a.error} />
      {methods === null ? (
        <div className="state" role="status">
          Loading…
        </div>
      ) : (
        <DataTable columns={columns} rows={methods} rowKey={(m) => m.id} />
      )}
      <RowForm style={{ marginTop: 8 }} onSubmit={() => void run(async () => (await call('api.contacts.create', { body: { kind, address } }), toast(`A verification code went to ${address}`, 'ok'), setAddress(''), await reload()))}>
        <label className="inline">
          Add
          <select value={kind} onChange={(e) => setKind(e.target.value as 'email' | 'phone')}>
            <option value="email">Email</option>
            <option value="phone">Phone (SMS)</option>
          </select>
        </label>
        <label className="inline">
          <span className="sr-only">{kind === 'email' ? 'Email address' : 'Phone number'}</span>
          <input type={kind === 'email' ? 'email' : 'tel'} required value={address} onChange={(e) => setAddress(e.target.value)} placeholder={kind === 'email' ? 'pager@example.com' : '+44 20 7946 0958'} />
        </label>
        <button disabled={a.busy}>Add and send code</button>
      </RowForm>
      {removing && (
        <Dialog title={`Remove ${removing.address}?`} onClose={() => setRemoving(null)}>
          <p>You will no longer be paged there.</p>
          <div className="row end">
            <button onClick={() => setRemoving(null)}>Cancel</button>
            <button className="danger" onClick={() => void run(async () => (await call('api.contacts.delete', { params: { id: removing.id } }), setRemoving(null), await reload()))}>
              Remove
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

/** Which channels page the person, from which severity up (Slack is the team's channel, set by an admin). */
function ChannelPreferences() {
  const [prefs, setPrefs] = useState<NotificationPreference[] | null>(null);
  const a = useAction();
  const { run } = a;
  useEffect(() => void run(async () => setPrefs(await call('api.channels.preferences.get'))), [run]);
  const set = (channel: string, patch: Partial<NotificationPreference>) => setPrefs((p) => p && p.map((x) => (x.channel === channel ? { ...x, ...patch } : x)));
  return (
    <>
      <h3>Which channels page me</h3>
      <ErrorBox error={a.error} />
      {prefs === null ? (
        <div className="state" role="status">
          Loading…
        </div>
      ) : (
        <form
          className="form"
          data-testid="channel-preferences"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => (setPrefs(await call('api.channels.preferences.update', { body: { preferences: prefs.filter((p) => p.channel !== 'slack') } })), toast('Notification preferences saved', 'ok')));
          }}
        >
          {prefs
            .filter((p) => p.channel !== 'slack')
            .map((p) => (
              <div key={p.channel} className="row">
                <label className="inline" style={{ minWidth: 160 }}>
                  <input type="checkbox" checked={p.enabled} onChange={(e) => set(p.channel, { enabled: e.target.checked })} /> {CHANNEL_LABEL[p.channel]}
                </label>
                <label className="inline">
                  from
                  <select value={p.minSeverity} disabled={!p.enabled} onChange={(e) => set(p.channel, { minSeverity: e.target.value as NotificationPreference['minSeverity'] })} aria-label={`${CHANNEL_LABEL[p.channel]}: lowest severity`}>
                    {SEVERITIES.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                  up
                </label>
              </div>
            ))}
          <span className="field-hint">An admin decides which severities each channel carries at all (Admin → Channels); quiet hours (Do not disturb, above) hold what arrives inside them.</span>
          <div className="row">
            <button className="primary" disabled={a.busy}>
              Save preferences
            </button>
          </div>
        </form>
      )}
    </>
  );
}

/** Settings → Notifications, on the server: where and when the person is paged. */
export function NotificationRouting() {
  return (
    <section aria-label="Paging" data-testid="notification-routing">
      <ContactMethods />
      <ChannelPreferences />
    </section>
  );
}
