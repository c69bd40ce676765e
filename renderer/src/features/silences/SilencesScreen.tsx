import { useEffect, useState } from 'react';
import type { Silence } from '../../../../shared/api/alerts';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { ErrorBox, StateView } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { navigate } from '../shell/ui';
import { MutedAlertsDialog, SilenceEditDialog } from './SilenceDialogs';
import { expireSilence, loadSilences, matcherText, setSilenceTab, useSilences, type SilenceTab } from './slice';

const TABS: [SilenceTab, string][] = [
  ['active', 'Active'],
  ['expired', 'Expired'],
];

function columns(tab: SilenceTab, open: (s: Silence, what: 'edit' | 'expire' | 'alerts') => void): Column<Silence>[] {
  const when = (t: number) => new Date(t).toLocaleString();
  return [
    {
      id: 'matchers',
      header: 'Matchers',
      cell: (s) => (
        <div className="row" style={{ flexWrap: 'wrap', gap: 4 }}>
          {s.matchers.map((m, i) => (
            <code key={i} className="mono badge neutral">
              {matcherText(m)}
            </code>
          ))}
        </div>
      ),
    },
    { id: 'creator', header: 'Created by', cell: (s) => s.createdByName ?? <span className="muted">{s.createdBy ? 'a removed user' : 'the system'}</span> },
    { id: 'comment', header: 'Comment', cell: (s) => s.comment },
    { id: 'ends', header: tab === 'expired' ? 'Ended' : 'Ends', cell: (s) => (s.state === 'pending' ? `starts ${when(s.startsAt)}, ends ${when(s.endsAt)}` : when(s.endsAt)) },
    {
      id: 'mutes',
      header: 'Mutes',
      cell: (s) =>
        tab === 'expired' ? (
          <span className="muted">nothing now</span>
        ) : (
          <button className="small" onClick={() => open(s, 'alerts')} aria-label={`Alerts muted by ${s.comment}: ${s.mutes}`}>
            {s.mutes} alert{s.mutes === 1 ? '' : 's'}
          </button>
        ),
    },
    {
      id: 'actions',
      header: '',
      cell: (s) =>
        tab === 'expired' ? null : (
          <div className="row">
            <button className="small" onClick={() => open(s, 'edit')} aria-label={`Edit silence ${s.comment}`}>
              Edit
            </button>
            <button className="small danger" onClick={() => open(s, 'expire')} aria-label={`Expire silence ${s.comment} now`}>
              Expire now
            </button>
          </div>
        ),
    },
  ];
}

/** Active (and pending) and expired silences: matchers, creator, comment, what each mutes; edit and expire now. */
export default function SilencesScreen() {
  const { tab, list } = useSilences();
  const [dialog, setDialog] = useState<{ silence: Silence; what: 'edit' | 'expire' | 'alerts' } | null>(null);
  const a = useAction();
  useEffect(() => void loadSilences({ fresh: true }), []);
  const close = () => setDialog(null);
  return (
    <section aria-labelledby="sil-title" data-testid="silences-screen">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1 id="sil-title">Silences</h1>
        <div className="row">
          <button onClick={() => navigate({ screen: 'alerts' })}>Silence alerts…</button>
          <button onClick={() => void loadSilences()} disabled={list.loading}>
            Refresh
          </button>
        </div>
      </div>
      <div className="tabs" role="tablist" aria-label="Silence states">
        {TABS.map(([t, label]) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setSilenceTab(t)}>
            {label}
          </button>
        ))}
      </div>
      <ErrorBox error={a.error} />
      <StateView
        res={list}
        retry={() => void loadSilences()}
        empty={tab === 'expired' ? 'No expired silences.' : 'No active silences. On the Alerts screen, select alerts and choose Silence.'}
      >
        {(rows) => <DataTable columns={columns(tab, (silence, what) => setDialog({ silence, what }))} rows={rows} rowKey={(s) => s.id} />}
      </StateView>
      {dialog?.what === 'edit' && <SilenceEditDialog silence={dialog.silence} onClose={close} />}
      {dialog?.what === 'alerts' && <MutedAlertsDialog silence={dialog.silence} onClose={close} />}
      {dialog?.what === 'expire' && (
        <Dialog title="Expire this silence now?" onClose={close}>
          <p>
            The {dialog.silence.mutes} alert{dialog.silence.mutes === 1 ? '' : 's'} it mutes notify again at once if they still fire. It stays listed under Expired.
          </p>
          <div className="row end">
            <button onClick={close}>Cancel</button>
            <button
              className="danger"
              disabled={a.busy}
              onClick={() =>
                void a.run(async () => {
                  await expireSilence(dialog.silence.id);
                  toast('Silence expired', 'ok');
                  close();
                })
              }
            >
              Expire now
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
