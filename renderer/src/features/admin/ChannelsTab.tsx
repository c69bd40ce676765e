import { useEffect, useState } from 'react';
import type { Channel, SmtpStatus } from '../../../../shared/api/alerts';
import type { ChannelResponse } from '../../../../shared/ipc';
import { SEVERITIES } from '../../../../shared/domain/alerts';
import { call, errorMessage } from '../../api';
import { DataTable, type Column } from '../../ui/DataTable';
import { ErrorBox, StateView } from '../../ui/feedback';
import { CheckboxGroup, RowForm } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { enabledBox, type Run } from './AlertingTabs';
import { loadChannels, updateChannel, useAdmin } from './slice';

type TestResult = ChannelResponse<'api.channels.testOne'>;

/** A webhook channel's URL: shown masked (the server never answers it in clear), replaced or cleared. */
function WebhookUrl({ channel, run }: { channel: Channel; run: Run }) {
  const [url, setUrl] = useState('');
  if (channel.type !== 'slack' && channel.type !== 'sms') return <span className="muted">—</span>;
  return (
    <RowForm onSubmit={() => void run(async () => (await updateChannel(channel.id, { url: url.trim() }), setUrl(''), toast(`${channel.name} URL saved (stored sealed)`, 'ok')))}>
      <span className="mono muted" title="Stored sealed; only its host is shown">
        {channel.url ?? 'not set'}
      </span>
      <label className="inline">
        <span className="sr-only">New webhook URL for {channel.name}</span>
        <input type="url" required placeholder="https://…" value={url} onChange={(e) => setUrl(e.target.value)} style={{ width: 220 }} />
      </label>
      <button className="small">Save URL</button>
      {channel.url && (
        <button type="button" className="small" onClick={() => void run(async () => (await updateChannel(channel.id, { url: null }), toast(`${channel.name} URL cleared`, 'ok')))}>
          Clear
        </button>
      )}
    </RowForm>
  );
}

function TestButton({ channel }: { channel: Channel }) {
  const [state, setState] = useState<{ busy: boolean; result?: TestResult; error?: string }>({ busy: false });
  const run = async () => {
    setState({ busy: true });
    try {
      setState({ busy: false, result: await call('api.channels.testOne', { params: { id: channel.id } }) });
    } catch (e) {
      setState({ busy: false, error: errorMessage(e) });
    }
  };
  return (
    <div>
      <button className="small" disabled={state.busy || !channel.configured} onClick={() => void run()} aria-label={`Test send ${channel.name}`}>
        {state.busy ? 'Sending…' : 'Test send'}
      </button>
      <div role="status" data-testid={`test-result-${channel.id}`}>
        {state.error && <span className="field-error">{state.error}</span>}
        {state.result?.map((r, i) => (
          <div key={i} className={r.ok ? 'badge ok' : 'badge bad'}>
            {r.ok ? `sent to ${r.target}${r.status ? ` (HTTP ${r.status})` : ''}` : `${r.target === '-' ? '' : `${r.target}: `}${r.error}${r.status ? ` (HTTP ${r.status})` : ''}`}
          </div>
        ))}
      </div>
    </div>
  );
}

function columns(run: Run): Column<Channel>[] {
  return [
    { id: 'channel', header: 'Channel', cell: (c) => (<>{c.name} <span className="muted">({c.type})</span></>) },
    { id: 'severities', header: 'Severities', cell: (c) => (<div className="row"><CheckboxGroup values={SEVERITIES} checked={c.severities} onChange={(severities) => run(() => updateChannel(c.id, { severities }))} /></div>) },
    { id: 'url', header: 'Webhook URL', cell: (c) => <WebhookUrl channel={c} run={run} /> },
    { id: 'configured', header: 'Configured', cell: (c) => (c.configured ? 'Yes' : <span className="muted">{c.type === 'email' ? 'No SMTP' : 'No URL'}</span>) },
    { id: 'enabled', header: 'Enabled', cell: enabledBox(run, (c, enabled) => updateChannel(c.id, { enabled })) },
    { id: 'test', header: 'Test', cell: (c) => <TestButton channel={c} /> },
  ];
}

function SmtpPanel() {
  const [s, setS] = useState<{ data?: SmtpStatus; error?: string; loading: boolean }>({ loading: true });
  const fetchStatus = () =>
    call('api.channels.smtp').then(
      (data) => setS({ data, loading: false }),
      (e: unknown) => setS({ error: errorMessage(e), loading: false }),
    );
  const load = () => {
    setS((p) => ({ ...p, loading: true }));
    void fetchStatus();
  };
  useEffect(() => void fetchStatus(), []);
  return (
    <div className={`alert-box ${s.data?.ok ? 'info' : 'warning'}`} data-testid="smtp-status" role="status">
      <strong>SMTP: </strong>
      {s.loading && 'checking…'}
      {!s.loading && s.error && `status unavailable: ${s.error}`}
      {!s.loading && s.data && (s.data.ok ? `${s.data.server} answers; mail goes out from ${s.data.from}.` : s.data.configured ? `${s.data.server} does not answer: ${s.data.error}` : s.data.error)}{' '}
      <button className="small" onClick={load} disabled={s.loading}>
        Check again
      </button>
    </div>
  );
}

/** Channels: severity routing, webhook URLs (sealed), SMTP status, and a test send per channel to its real target. */
export function ChannelsTab() {
  const res = useAdmin((s) => s.channels);
  const a = useAction();
  useEffect(() => void loadChannels(), []);
  return (
    <>
      <SmtpPanel />
      <p className="muted">Test send goes to your own verified addresses (email, SMS) and desktop, and to the Slack webhook.</p>
      <ErrorBox error={a.error} />
      <StateView res={res} retry={() => void loadChannels({ fresh: false })} empty="No channels.">
        {(list) => <DataTable columns={columns(a.run)} rows={list} rowKey={(c) => c.id} />}
      </StateView>
    </>
  );
}
